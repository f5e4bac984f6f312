import { buildSchema, ExecutionResult, parse } from 'graphql';
import type { Context } from '../../src/context';
import { LatestValue } from '../../src/features/realtime/subscriptions/latest-value';
import { Delivery, SharedOperation } from '../../src/features/realtime/ws/delivery';
import { LiveSource } from '../../src/features/realtime/ws/live-source';
import { OperationSocket, SharedFrame, SocketMembers } from '../../src/features/realtime/ws/shared-frame';
import { Pending, SharedResults, Waiter } from '../../src/features/realtime/ws/shared-results';
import type { Viewer } from '../../src/features/workspaces/viewer';
import { tcpSocketOf } from '../../src/features/realtime/ws/ws-socket.adapter';
import { wsPair } from '../helpers/ws-pair';
import type { WebSocket } from 'ws';
import { sleep } from './realtime-fixtures';

test("frames of a socket's operations written between cork and uncork leave in one write, in order, counted as buffered meanwhile", async () => {
  const { server, serverSide, client, received } = await wsPair();
  try {
    const members = new SocketMembers();
    const events = new OperationSocket(serverSide, 'e', members);
    const other = new OperationSocket(serverSide, 'other-7', members);
    const tcp = tcpSocketOf(serverSide)!;
    const writes: number[] = [];
    const write = tcp.write.bind(tcp);
    tcp.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof tcp.write;

    events.cork();
    events.write(new SharedFrame('{"data":{"n":1}}'));
    // A sibling's write inside the first one's (sendSiblings) joins the same write.
    other.cork();
    other.write(new SharedFrame('{"data":{"n":2}}'));
    other.uncork();
    events.write(new SharedFrame('{"data":{"n":3}}'));
    expect(writes).toEqual([]);
    expect(events.buffered).toBeGreaterThan(3 * 30);
    events.uncork();
    expect(writes).toHaveLength(1);
    expect(events.buffered).toBeLessThan(writes[0]);

    // Without a cork, a frame goes at once, in a write of its own.
    other.write(new SharedFrame('{"data":{"n":4}}'));
    expect(writes).toHaveLength(2);

    for (let i = 0; i < 100 && received.length < 4; i++) await sleep(10);
    expect(received).toEqual([
      '{"id":"e","type":"next","payload":{"data":{"n":1}}}',
      '{"id":"other-7","type":"next","payload":{"data":{"n":2}}}',
      '{"id":"e","type":"next","payload":{"data":{"n":3}}}',
      '{"id":"other-7","type":"next","payload":{"data":{"n":4}}}',
    ]);
  } finally {
    client.close();
    server.close();
  }
});

test('frames held while the socket closes are dropped, never written to a closing socket', async () => {
  const { server, serverSide, client, received } = await wsPair();
  try {
    const socket = new OperationSocket(serverSide, 'e', new SocketMembers());
    socket.cork();
    socket.write(new SharedFrame('{"data":{"n":1}}'));
    serverSide.close(1001, 'going away');
    socket.uncork();
    const closed = await new Promise<number>((resolve) => client.once('close', resolve));
    expect(closed).toBe(1001);
    expect(received).toEqual([]);
  } finally {
    server.close();
  }
});

/** Every buffer the pairs' server sides hand their TCP sockets, in order: whether two writes share bytes. */
function recordWrites(pairs: { serverSide: WebSocket }[]): Buffer[] {
  const written: Buffer[] = [];
  for (const { serverSide } of pairs) {
    const tcp = tcpSocketOf(serverSide)!;
    const write = tcp.write.bind(tcp);
    tcp.write = ((chunk: Buffer, ...rest: never[]) => {
      written.push(chunk);
      return write(chunk, ...rest);
    }) as typeof tcp.write;
  }
  return written;
}

test('subscribers whose operations have the same id are written the same bytes, built once per frame', async () => {
  const first = await wsPair();
  const second = await wsPair();
  try {
    const written = recordWrites([first, second]);
    const frame = new SharedFrame('{"data":{"n":1}}');
    new OperationSocket(first.serverSide, 'e', new SocketMembers()).write(frame);
    new OperationSocket(second.serverSide, 'e', new SocketMembers()).write(frame);
    new OperationSocket(second.serverSide, 'other-7', new SocketMembers()).write(frame);
    expect(written).toHaveLength(3);
    expect(written[1]).toBe(written[0]);
    expect(written[2]).not.toBe(written[0]);

    for (let i = 0; i < 100 && first.received.length + second.received.length < 3; i++) await sleep(10);
    expect(first.received).toEqual(['{"id":"e","type":"next","payload":{"data":{"n":1}}}']);
    expect(second.received).toEqual([
      '{"id":"e","type":"next","payload":{"data":{"n":1}}}',
      '{"id":"other-7","type":"next","payload":{"data":{"n":1}}}',
    ]);
  } finally {
    for (const { client, server } of [first, second]) {
      client.close();
      server.close();
    }
  }
});

/** A subscriber's events (never skipped, unlike metrics), pushed by the test. */
class Events extends LiveSource<object> {
  readonly skips = false;
  private readonly queue: object[] = [];

  push(value: object): void {
    this.queue.push(value);
    this.consumer?.wake();
  }

  peek(): object | undefined {
    return this.queue[0];
  }

  peekAhead(offset: number): object | undefined {
    return this.queue[offset];
  }

  shift(): void {
    this.queue.shift();
  }

  close(): void {
    this.end();
  }
}

test("a socket's metrics, ready when its event's turn in a fan-out comes, wait for the other sockets' events; a ready event rides along", async () => {
  const { server, serverSide, client, received } = await wsPair();
  try {
    const tcp = tcpSocketOf(serverSide)!;
    let writes = 0;
    const write = tcp.write.bind(tcp);
    tcp.write = ((chunk: Buffer, ...rest: never[]) => {
      writes++;
      return write(chunk, ...rest);
    }) as typeof tcp.write;
    // Executions that settle later, as an event's and the metrics' do.
    const schema = buildSchema('type Query { n: Int }');
    const operation = (key: string): SharedOperation => ({ key, args: { schema, document: parse('{ n }') } });
    const events = operation('events');
    const metrics = operation('metrics');
    const results = new SharedResults((result) => new SharedFrame(JSON.stringify(result)));
    const viewer = { workspaceId: 'w' } as Viewer;
    const deliver = <S extends LiveSource<object>>(id: string, members: SocketMembers, op: SharedOperation, source: S) => {
      const connection = new OperationSocket(serverSide, id, members);
      const delivery = new Delivery(source, op, results, viewer, connection, () => ({}) as Context);
      source.attach(delivery);
      return source;
    };
    // More subscribers of the event than one turn of the fan-out wakes (500): the last socket's
    // turn comes after the metrics are ready.
    const event = { n: () => Promise.resolve(1) };
    const others = Array.from({ length: 2_000 }, (_, i) => deliver(`e${i}`, new SocketMembers(), events, new Events()));
    const last = new SocketMembers();
    const lastEvents = deliver('e', last, events, new Events());
    const lastMetrics = deliver('m', last, metrics, new LatestValue<object>(() => undefined));
    for (const source of [...others, lastEvents]) source.push(event);
    lastMetrics.offer({ n: () => Promise.resolve(2) }, 1);

    for (let i = 0; i < 200 && received.length < 2_002; i++) await sleep(10);
    expect(received.slice(-2)).toEqual([
      '{"id":"e","type":"next","payload":{"data":{"n":1}}}',
      '{"id":"m","type":"next","payload":{"data":{"n":2}}}',
    ]);
    // The metrics went on their own, after every socket's event.
    expect(writes).toBe(2_002);


    // A second event subscription of the last socket, whose event is ready when the socket's
    // turn comes: it rides along with the first one's.
    writes = 0;
    const lastMore = new Events();
    const moreConnection = new OperationSocket(serverSide, 'f', last);
    lastMore.attach(new Delivery(lastMore, operation('more events'), results, viewer, moreConnection, () => ({}) as Context));
    const next = { n: () => Promise.resolve(3) };
    for (const source of [...others, lastEvents]) source.push(next);
    lastMore.push({ n: () => Promise.resolve(4) });
    for (let i = 0; i < 200 && received.length < 2_002 + 2_002; i++) await sleep(10);
    expect(received.slice(-2)).toEqual([
      '{"id":"e","type":"next","payload":{"data":{"n":3}}}',
      '{"id":"f","type":"next","payload":{"data":{"n":4}}}',
    ]);
    expect(writes).toBe(2_001);
  } finally {
    client.close();
    server.close();
  }
});

test('a fan-out wakes at most 500 subscribers before other work (a request, a reply from the database) gets a turn', async () => {
  const results = new SharedResults((result) => new SharedFrame(JSON.stringify(result)));
  let settle!: (result: ExecutionResult) => void;
  const execution = new Promise<ExecutionResult>((resolve) => { settle = resolve; });
  let woken = 0;
  const waiters: Waiter[] = Array.from({ length: 1_200 }, () => ({ done: false, skips: false, execute: () => execution, resume: () => { woken++; } }));
  const value = {};
  for (const waiter of waiters) {
    const outcome = results.outcome(value, 'events', waiter);
    if (outcome instanceof Pending) outcome.waiting.push(waiter);
  }
  // Queued before the fan-out starts: it runs once the first turn has ended.
  const wokenAtOtherWork = new Promise<number>((resolve) => setImmediate(() => resolve(woken)));
  settle({ data: { n: 1 } });
  expect(await wokenAtOtherWork).toBe(500);
  for (let i = 0; i < 100 && woken < 1_200; i++) await sleep(1);
  expect(woken).toBe(1_200);
});

test('an event ready while metrics go out goes next, after one chunk of them, not after all of them', async () => {
  const results = new SharedResults((result) => new SharedFrame(JSON.stringify(result)));
  const woken: string[] = [];
  const fanOut = (kind: 'event' | 'metrics', count: number) => {
    let settle!: (result: ExecutionResult) => void;
    const execution = new Promise<ExecutionResult>((resolve) => { settle = resolve; });
    const value = {};
    for (let i = 0; i < count; i++) {
      const waiter: Waiter = { done: false, skips: kind === 'metrics', execute: () => execution, resume: () => { woken.push(kind); } };
      const outcome = results.outcome(value, kind, waiter);
      if (outcome instanceof Pending) outcome.waiting.push(waiter);
    }
    return () => settle({ data: { n: 1 } });
  };
  // A move's event has gone out; its metrics (ready a query later) go out to 1,200 sockets…
  fanOut('event', 1)();
  for (let i = 0; i < 100 && woken.length < 1; i++) await sleep(1);
  woken.length = 0;
  const metrics = fanOut('metrics', 1_200);
  const next = fanOut('event', 1_200);
  metrics();
  // …and the next move's event is ready after their first chunk.
  await new Promise((resolve) => setImmediate(resolve));
  next();
  for (let i = 0; i < 200 && woken.length < 2_400; i++) await sleep(1);
  const runs = woken.reduce<[string, number][]>((acc, kind) => {
    if (acc.at(-1)?.[0] === kind) acc.at(-1)![1]++;
    else acc.push([kind, 1]);
    return acc;
  }, []);
  expect(runs).toEqual([['metrics', 500], ['event', 1_200], ['metrics', 700]]);
});

test("sockets whose event and metrics leave together, with the same ids, are written the very same bytes", async () => {
  const first = await wsPair();
  const second = await wsPair();
  try {
    const written = recordWrites([first, second]);
    const event = new SharedFrame('{"data":{"n":1}}');
    const metrics = new SharedFrame('{"data":{"m":2}}');
    for (const { serverSide } of [first, second]) {
      const members = new SocketMembers();
      const events = new OperationSocket(serverSide, 'e', members);
      events.cork();
      events.write(event);
      // Ids seen before the other tests' thousands: their prefixes are shared.
      new OperationSocket(serverSide, 'other-7', members).write(metrics);
      events.uncork();
    }
    expect(written).toHaveLength(2);
    expect(written[1]).toBe(written[0]);

    for (let i = 0; i < 100 && first.received.length + second.received.length < 4; i++) await sleep(10);
    for (const { received } of [first, second]) {
      expect(received).toEqual([
        '{"id":"e","type":"next","payload":{"data":{"n":1}}}',
        '{"id":"other-7","type":"next","payload":{"data":{"m":2}}}',
      ]);
    }
  } finally {
    for (const { client, server } of [first, second]) {
      client.close();
      server.close();
    }
  }
});
