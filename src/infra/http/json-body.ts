import type { IncomingMessage } from 'node:http';

/** A parsed body, or body-parser's name for why there is none (`entity.too.large`, `entity.parse.failed`). */
export type JsonBody = { value: unknown; error?: undefined } | { value?: undefined; error: 'entity.too.large' | 'entity.parse.failed' };

const WHITESPACE = /[^\x20\x09\x0a\x0d]/;

/**
 * Parses a UTF-8 JSON body as `express.json()` does with its defaults: empty is `{}`, only
 * an object or an array at the top (strict), a leading BOM ignored, `maxBodyBytes` at most.
 * A body over the limit (declared or streamed) is drained before the answer, as body-parser
 * does, so that the client reads the 413 instead of a reset connection.
 */
export function readJsonBody(req: IncomingMessage, maxBodyBytes: number): Promise<JsonBody> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = declared > maxBodyBytes;
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      length += chunk.length;
      if (length > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return resolve({ error: 'entity.too.large' });
      resolve(parse(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    });
    // An aborted request has no one left to answer; the socket is gone with it.
    req.on('error', () => undefined);
  });
}

function parse(text: string): JsonBody {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return { value: {} };
  const first = WHITESPACE.exec(body)?.[0];
  if (first !== '{' && first !== '[') return { error: 'entity.parse.failed' };
  try {
    return { value: JSON.parse(body) };
  } catch {
    return { error: 'entity.parse.failed' };
  }
}
