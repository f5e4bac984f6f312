import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

const CLIENT_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every HTTP request an id (the caller's `x-request-id` when it looks sane, so a
 * proxy's id carries through) and logs one JSON line when the response is sent. The id is
 * also written back onto the request headers, where the GraphQL plugin picks it up.
 */
export function requestLogging(logger: Logger) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => {
    const given = req.headers[REQUEST_ID_HEADER];
    const id = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
    req.headers[REQUEST_ID_HEADER] = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    // Probes log at debug, the rest at info: with info off, neither is written, so nothing to time.
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // originalUrl: inside a mounted express router `req.url` is relative to the mount point.
      const path = (req.originalUrl ?? req.url ?? '').split('?', 1)[0];
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // Probes and scrapes are frequent and dull: keep them out of the info stream.
      const level = /^\/(healthz|readyz|metrics)$/.test(path) ? 'debug' : 'info';
      logger[level]({ requestId: id, method: req.method, path, status: res.statusCode, durationMs: round(durationMs) }, 'http request');
    });
    next();
  };
}

/** Milliseconds to two decimals. */
export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
