import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** How the receiver answers a request: a status, or `hang` (never answer). */
export type Answer = number | 'hang';

/**
 * A real HTTP endpoint for webhook tests: records every POST and answers as `answer` says
 * (200 by default). `until` resolves as soon as what was received satisfies a condition.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, index: number) => Answer = () => 200;
  private readonly hanging: ServerResponse[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { raw += chunk; });
      req.on('end', () => {
        const request = { headers: req.headers, raw, body: JSON.parse(raw) };
        const answer = receiver.answer(request, receiver.received.length);
        receiver.received.push(request);
        if (answer === 'hang') receiver.hanging.push(res);
        else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? `refused with ${answer} ${'x'.repeat(500)}` : 'ok');
        for (const wake of receiver.waiters) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Seqs received, in the order they came. */
  get seqs(): string[] {
    return this.received.map((r) => r.body.seq as string);
  }

  /** Resolves once `condition` holds for what was received; fails after `timeoutMs`. */
  until(condition: (received: Received[]) => boolean, timeoutMs = 30_000): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition(this.received)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.received);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`receiver: condition not met within ${timeoutMs} ms; received seqs ${JSON.stringify(this.seqs)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Resolves once `probe` returns a truthy value; fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
