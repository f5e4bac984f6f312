import type { IncomingMessage } from 'node:http';
import cors from 'cors';

/**
 * Whether a browser request from `origin` may use the API: no Origin (not a browser, or a
 * same-origin GET), the API's own origin (same host), or one on the allow-list.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowList: readonly string[]): boolean {
  if (!origin) return true;
  if (allowList.includes('*') || allowList.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** CORS headers for allowed origins only; others get none, and the browser keeps the answer from the page. */
export function corsFromAllowList(allowList: readonly string[]) {
  return cors({
    origin: (origin, done) => done(null, allowList.includes('*') ? true : origin !== undefined && allowList.includes(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'idempotency-key', 'apollo-require-preflight'],
    maxAge: 600,
  });
}

/**
 * For `new WebSocketServer({ verifyClient })`: refuses handshakes whose Origin is neither
 * the API's own nor on the allow-list (cross-site WebSocket hijacking), with 403.
 */
export function verifyWebSocketOrigin(allowList: readonly string[]) {
  return (info: { origin: string; req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void): void => {
    if (isOriginAllowed(info.origin || undefined, info.req.headers.host, allowList)) return done(true);
    done(false, 403, 'Origin not allowed');
  };
}
