import WebSocket from 'ws';

/** A WebSocket spoken to by hand, to provoke each close code of graphql-transport-ws. */
export interface RawSocket {
  ws: WebSocket;
  /** Messages received, parsed. */
  messages: { type: string; id?: string; payload?: unknown }[];
  /** Resolves when the socket is open (rejects with the HTTP status of a refused handshake). */
  opened: Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message of `type` (rejects after `timeoutMs`). */
  next(type: string, timeoutMs?: number): Promise<{ type: string; id?: string; payload?: unknown }>;
}

/** `protocol: ''` offers no subprotocol at all. */
export function rawSocket(httpUrl: string, options: { protocol?: string; origin?: string } = {}): RawSocket {
  const protocol = options.protocol ?? 'graphql-transport-ws';
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), protocol === '' ? [] : protocol, {
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const messages: RawSocket['messages'] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  opened.catch(() => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  return {
    ws, messages, opened, closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: async (type, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** Opens a socket and completes `connection_init` with `token`. */
export async function initialised(httpUrl: string, token: string): Promise<RawSocket> {
  const socket = rawSocket(httpUrl);
  await socket.opened;
  socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  await socket.next('connection_ack');
  return socket;
}
