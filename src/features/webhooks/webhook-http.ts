import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { publicOnlyLookup, refusal } from './webhook-url';

/** A delivery attempt is DELIVERED on a 2xx within this time, and abandoned past it. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The most of an answer's body kept (in `WebhookDelivery.error`); the rest is read and dropped. */
const EXCERPT_BYTES = 200;
/** Past this much body the connection is cut rather than read on. */
const MAX_BODY_BYTES = 64 * 1024;

/** How one POST went. */
export interface PostOutcome {
  delivered: boolean;
  httpStatus: number | null;
  /** Why it failed, with the start of the answer's body; null when delivered. */
  error: string | null;
  durationMs: number;
}

/**
 * POSTs webhook bodies over kept-alive connections. Unless private addresses are allowed, the
 * address is checked each time a connection is made: after DNS (a host that rebinds to a
 * private address is refused), and for a host written as an address, before connecting.
 */
export class WebhookHttp {
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: DELIVERY_TIMEOUT_MS });
  private readonly http?: HttpAgent;

  constructor(private readonly allowPrivate: boolean) {
    this.http = allowPrivate ? new HttpAgent({ keepAlive: true, timeout: DELIVERY_TIMEOUT_MS }) : undefined;
  }

  post(target: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<PostOutcome> {
    const started = Date.now();
    const outcome = (httpStatus: number | null, error: string | null): PostOutcome => ({
      delivered: error === null, httpStatus, error, durationMs: Date.now() - started,
    });
    const url = new URL(target);
    const insecure = url.protocol === 'http:';
    if (insecure && !this.http) return Promise.resolve(outcome(null, 'http is refused: the URL must be https'));
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const refused = !this.allowPrivate && isIP(literal) ? refusal(url.hostname, literal) : undefined;
    if (refused) return Promise.resolve(outcome(null, refused));
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: PostOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const send = insecure ? httpRequest : httpsRequest;
      const req = send(url, {
        method: 'POST',
        agent: insecure ? this.http : this.https,
        lookup: this.allowPrivate ? undefined : publicOnlyLookup,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body).toString(), ...headers },
      }, (res) => {
        const status = res.statusCode ?? 0;
        let excerpt = '';
        let read = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (excerpt.length < EXCERPT_BYTES) excerpt += chunk.slice(0, EXCERPT_BYTES - excerpt.length);
          read += chunk.length;
          if (read > MAX_BODY_BYTES) res.destroy();
        });
        const done = () => finish(status >= 200 && status < 300
          ? outcome(status, null)
          : outcome(status, `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`));
        res.on('end', done);
        res.on('close', done);
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(outcome(null, `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`));
      }, DELIVERY_TIMEOUT_MS);
      const onAbort = () => {
        req.destroy();
        finish(outcome(null, 'abandoned: the instance stopped'));
      };
      signal.addEventListener('abort', onAbort);
      req.on('error', (err) => finish(outcome(null, err.message)));
      req.end(body);
    });
  }

  close(): void {
    this.https.destroy();
    this.http?.destroy();
  }
}
