import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, BaseContext, HeaderMap, HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import { NodeMiddleware, refuse, refuseBody } from './guards';
import type { KnownOperations } from './known-operations';
import type { AnswerContext } from '../sql-answers/answer-fields';
import { readJsonBody } from './json-body';

export interface GraphQLDoorOptions<C extends BaseContext & AnswerContext> {
  apollo: ApolloServer<C>;
  /** The request's GraphQL context, as express's integration would build it. */
  context: (req: IncomingMessage) => Promise<C>;
  /** Run in order before the body is read: request log, CORS, rate limit (each may answer itself). */
  before: NodeMiddleware[];
  maxBodyBytes: number;
  logger: Logger;
  /** Operations Apollo has resolved before, served again without its pipeline. */
  known?: KnownOperations<C>;
}

/** `application/json`, alone or with `charset=utf-8`: what the door parses exactly as express.json does. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Whether the door serves this request: a JSON POST to `/graphql` with a body, in UTF-8, not
 * compressed. Anything else (GET, preflights, the explorer page, other media types,
 * encodings or paths) goes to express, which stays the reference for every corner case.
 */
function takes(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if ((query < 0 ? url : url.slice(0, query)) !== '/graphql') return false;
  const { headers } = req;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const hasBody = headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
  return hasBody && PLAIN_JSON.test(headers['content-type'] ?? '');
}

/**
 * Runs connect-style steps in order, from step `from`; true when every step passed on, false
 * when one answered. Steps that pass on at once (nearly always, every one) cost no promise; from
 * a step that passes on later (a shared rate limiter) the rest runs when it does.
 */
function runSteps(steps: NodeMiddleware[], req: IncomingMessage, res: ServerResponse, from = 0): boolean | Promise<boolean> {
  for (let i = from; i < steps.length; i++) {
    let passed: { err?: unknown } | undefined;
    let later: ((err?: unknown) => void) | undefined;
    steps[i](req, res, (err?: unknown) => (later ? later(err) : (passed = { err })));
    if (passed) {
      if (passed.err) throw passed.err;
      continue;
    }
    // A step that answered (CORS never does for POST; the rate limiter may) never calls next.
    if (res.writableEnded) return false;
    return new Promise((resolve, reject) => {
      later = (err) => {
        if (err) return reject(err);
        Promise.resolve().then(() => runSteps(steps, req, res, i + 1)).then(resolve, reject);
      };
      res.once('finish', () => resolve(false));
    });
  }
  return true;
}

/** Node's headers as Apollo's HeaderMap, repeated ones joined as express's integration does. */
function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function send(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // Apollo serialised the result once; it is written as it stands.
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The GraphQL door: serves `POST /graphql` on node's own request and response, in front of
 * express, doing what the express stack did for it (request id and log, CORS, rate limit,
 * the JSON body with its 413 and 400, then Apollo's HTTP handling with its CSRF rule, status
 * codes and masked errors) without express's per-request routing, request decoration and
 * ETag hashing. Returns a request listener that passes every other request to `fallback`.
 */
export function graphqlDoor<C extends BaseContext & AnswerContext>(options: GraphQLDoorOptions<C>,
  fallback: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const passed = runSteps(options.before, req, res);
    if (passed !== true && !(await passed)) return;
    const body = await readJsonBody(req, options.maxBodyBytes);
    if (body.error) {
      refuseBody(res, body.error, options.maxBodyBytes);
      return;
    }
    const known = options.known?.match(body.value, req.headers);
    if (known && await options.known!.serve(known, req, res, () => options.context(req))) return;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: headerMap(req), search: query < 0 ? '' : url.slice(query), body: body.value },
      context: () => options.context(req),
    });
    await send(res, response);
  };

  return (req, res) => {
    if (!takes(req)) return fallback(req, res);
    serve(req, res).catch((err) => {
      options.logger.error({ err }, 'internal error');
      if (res.headersSent) return void res.destroy();
      refuse(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
    });
  };
}
