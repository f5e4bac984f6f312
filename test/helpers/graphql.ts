import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** Sends a typed operation over real HTTP, the way a frontend would. */
export async function gql<T, V>(
  url: string, token: string | undefined, document: TypedDocumentNode<T, V>, variables?: V,
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: response.status, ...body };
}

/** A document written inline, for shapes the typed operations do not cover (fragments, aliases, directives). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const untyped = (text: string) => parse(text) as TypedDocumentNode<Record<string, any>, Record<string, unknown>>;

/** The data of a result that must have succeeded; fails the test with the errors otherwise. */
export function ok<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) {
    throw new Error(`expected success, got ${JSON.stringify(result.errors ?? result)}`);
  }
  return result.data;
}

/** The error codes of a result, in order. */
export function errorCodes(result: GraphQLResult<unknown>): (string | undefined)[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
