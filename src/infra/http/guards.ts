import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { bearerToken, verifyToken } from '../auth/token';
import { RateLimiter } from './rate-limit';

/** Answers a request refused before GraphQL saw it, in the GraphQL response shape. */
function refuse(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message, extensions }] }));
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
export function rateLimitRequests(limiter: RateLimiter, secret: string): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const verdict = limiter.consume(callerKey(req.headers.authorization, req.ip, secret));
    if (verdict.allowed) return next();
    res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
    refuse(res, 429, `Too many requests: retry in ${verdict.retryAfterSeconds} s`, {
      code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds,
    });
  };
}

/**
 * Turns body-parser failures into GraphQL-shaped answers: a body over the limit is 413, a
 * body that is not JSON is 400. Anything else goes on to express's own handler.
 */
export function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (err, _req, res, next) => {
    const type = (err as { type?: string })?.type;
    if (type === 'entity.too.large') {
      return refuse(res, 413, `The request body is larger than ${maxBodyBytes} bytes`, { code: 'BAD_USER_INPUT', maxBodyBytes });
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuse(res, 400, 'The request body is not valid JSON', { code: 'BAD_USER_INPUT' });
    }
    next(err);
  };
}
