import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** What one subscription has received so far. */
export interface Subscription<T> {
  data: T[];
  errors: { message: string; extensions?: { code?: string } }[][];
  completed: boolean;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves once an error or completion has arrived. */
  ended(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

export interface WsClient {
  client: Client;
  /** Close codes seen so far. */
  closes: number[];
  subscribe<T, V>(document: TypedDocumentNode<T, V>, variables: V): Subscription<T>;
  /** Resolves with the code of the next (or an earlier) close. */
  closed(timeoutMs?: number): Promise<number>;
  dispose(): Promise<void>;
}

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A real graphql-transport-ws client on the app's /graphql, authenticated like a browser would be. */
export function wsClient(httpUrl: string, token?: string, options: { lazy?: boolean } = {}): WsClient {
  const closes: number[] = [];
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: options.lazy ?? true,
    on: { closed: (event) => { closes.push((event as { code: number }).code); } },
  });
  return {
    client,
    closes,
    subscribe<T, V>(document: TypedDocumentNode<T, V>, variables: V): Subscription<T> {
      const sub: Subscription<T> = {
        data: [],
        errors: [],
        completed: false,
        waitFor: async (count, timeoutMs = 15_000) => {
          await until(() => sub.data.length >= count || sub.errors.length > 0, timeoutMs,
            () => `${count} messages (got ${sub.data.length})`);
          if (sub.data.length < count) throw new Error(`subscription failed: ${JSON.stringify(sub.errors)}`);
          return sub.data;
        },
        ended: (timeoutMs = 15_000) => until(() => sub.completed || sub.errors.length > 0, timeoutMs, () => 'the end of a subscription'),
        unsubscribe: () => undefined,
      };
      sub.unsubscribe = client.subscribe<T>({ query: print(document), variables: variables as Record<string, unknown> }, {
        next: (message) => {
          if (message.errors) sub.errors.push(message.errors as Subscription<T>['errors'][number]);
          if (message.data) sub.data.push(message.data);
        },
        error: (err) => sub.errors.push(Array.isArray(err) ? err : [{ message: String((err as { code?: number }).code ?? err) }]),
        complete: () => { sub.completed = true; },
      });
      return sub;
    },
    closed: async (timeoutMs = 15_000) => {
      await until(() => closes.length > 0, timeoutMs, () => 'the socket to close');
      return closes[closes.length - 1];
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
