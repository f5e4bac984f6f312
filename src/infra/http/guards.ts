import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { bearerToken, verifyToken } from '../auth/token';
import { RateLimiter } from './rate-limit';

/** A connect-style step that works on node's own request and response (express's extend them). */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Answers a request refused before GraphQL saw it, in the GraphQL response shape. */
export function refuse(res: ServerResponse, status: number, message: string, extensions: Record<string, unknown>): void {
  const body = JSON.stringify({ errors: [{ message, extensions }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Who a request counts against: the token's user, or else the client's address. An invalid
 * token counts against the address, so that forging tokens buys no extra budget.
 */
export function callerKey(authorization: unknown, address: string | undefined, secret: string): string {
  const token = bearerToken(authorization);
  if (token) {
    try {
      const claims = verifyToken(token, secret);
      return `user:${claims.wid}/${claims.sub}`;
    } catch {
      // fall through to the address
    }
  }
  return `addr:${address ?? 'unknown'}`;
}

/** Limits GraphQL requests per caller; refused ones get 429, `Retry-After` and `RATE_LIMITED`. */
export function rateLimitRequests(limiter: RateLimiter, secret: string): NodeMiddleware {
  if (!limiter.enabled) return (_req, _res, next) => next();
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    // The peer's address, as express's `req.ip` gives it without `trust proxy`.
    limiter.consume(callerKey(req.headers.authorization, req.socket.remoteAddress, secret)).then((verdict) => {
      if (verdict.allowed) return next();
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      refuse(res, 429, `Too many requests: retry in ${verdict.retryAfterSeconds} s`, {
        code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }, next);
  };
}

/** The answer to a body that cannot be read, by body-parser's error type; undefined for other failures. */
export function refuseBody(res: ServerResponse, type: string | undefined, maxBodyBytes: number): boolean {
  if (type === 'entity.too.large') {
    refuse(res, 413, `The request body is larger than ${maxBodyBytes} bytes`, { code: 'BAD_USER_INPUT', maxBodyBytes });
    return true;
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    refuse(res, 400, 'The request body is not valid JSON', { code: 'BAD_USER_INPUT' });
    return true;
  }
  return false;
}

/**
 * Turns body-parser failures into GraphQL-shaped answers: a body over the limit is 413, a
 * body that is not JSON is 400. Anything else goes on to express's own handler.
 */
export function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (!refuseBody(res, (err as { type?: string })?.type, maxBodyBytes)) next(err);
  };
}
