import { AddressInfo, Socket } from 'node:net';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { Pool } from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import { Context as ServerContext } from 'graphql-ws';
import { forgetConnectionParams, runningOperations } from '../../src/features/realtime/ws/graphql-ws.adapter';
import { OperationSocket, SharedFrame, SocketMembers } from '../../src/features/realtime/ws/shared-frame';
import { tcpSocketOf } from '../../src/features/realtime/ws/ws-socket.adapter';
import { createDataSource } from '../../src/infra/db/data-source';
import { pgPoolOf } from '../../src/infra/db/typeorm-pool.adapter';
import { TEST_DATABASE_URL } from '../helpers/database';
import { wsPair } from '../helpers/ws-pair';

/*
 * Each adapter reaches into a dependency's private state; these tests pin what it relies on,
 * so that an upgrade that changes it fails here rather than in production.
 */

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

test('ws: the TCP socket a WebSocket wraps is reachable, and raw frames interleave with ws sends in order', async () => {
  const { server, serverSide, client, received } = await wsPair();
  try {
    expect(tcpSocketOf(serverSide)).toBeInstanceOf(Socket);
    const operation = new OperationSocket(serverSide, 'op-1', new SocketMembers());
    serverSide.send('before');
    operation.write(new SharedFrame('{"data":{"n":1}}'));
    serverSide.send('after');
    await until(() => received.length === 3, 'three messages');
    expect(received).toEqual(['before', '{"id":"op-1","type":"next","payload":{"data":{"n":1}}}', 'after']);
    expect(operation.buffered).toBe(0);
  } finally {
    client.close();
    server.close();
  }
});

test('graphql-ws: connection params can be let go after onConnect, and operations still run', async () => {
  const schema = buildSchema('type Query { hello: String }');
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const seen: { atConnect?: unknown; atSubscribe?: unknown } = {};
  const door = useServer({
    schema,
    roots: { query: { hello: () => 'world' } },
    onConnect: (ctx) => {
      seen.atConnect = ctx.connectionParams;
      forgetConnectionParams(ctx);
      return true;
    },
    onSubscribe: (ctx) => {
      seen.atSubscribe = ctx.connectionParams;
    },
  }, server);
  const client = createClient({
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, webSocketImpl: WebSocket,
    connectionParams: { authorization: 'Bearer x' }, retryAttempts: 0,
  });
  try {
    const result = await new Promise((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: '{ hello }' }, { next: (v) => { value = v; }, error: reject, complete: () => resolve(value) });
    });
    expect(result).toEqual({ data: { hello: 'world' } });
    expect(seen.atConnect).toEqual({ authorization: 'Bearer x' });
    expect(seen.atSubscribe).toBeUndefined();
  } finally {
    await client.dispose();
    await door.dispose();
    server.close();
  }
});

/** A graphql-ws server (`useServer`) and a raw client past `connection_init`, with the server's context of the socket. */
async function acknowledged() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  let ctx: ServerContext<Record<string, unknown>, unknown> | undefined;
  const door = useServer({ schema: buildSchema('type Query { hello: String }'), onConnect: (c) => { ctx = c; return true; } }, server);
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, 'graphql-transport-ws');
  const messages: { type: string }[] = [];
  client.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => client.once('close', resolve));
  await new Promise((resolve) => client.once('open', resolve));
  client.send(JSON.stringify({ type: 'connection_init' }));
  await until(() => messages.some((m) => m.type === 'connection_ack'), 'the ack');
  return {
    ctx: ctx!, client, closed,
    async end() {
      client.terminate();
      await door.dispose();
      server.close();
    },
  };
}

test("graphql-ws: an entry put in a socket's running operations counts as running, and is stopped by the client's complete and by the close", async () => {
  const { ctx, client, closed, end } = await acknowledged();
  const stopped: string[] = [];
  const entry = (id: string) => ({ [Symbol.asyncIterator]() { return this; }, return: async () => { stopped.push(id); return { done: true, value: undefined }; } });
  try {
    runningOperations(ctx).a = entry('a');
    runningOperations(ctx).b = entry('b');
    runningOperations(ctx).c = null;
    expect(Object.keys(ctx.subscriptions)).toEqual(['a', 'b', 'c']);
    client.send(JSON.stringify({ id: 'a', type: 'complete' }));
    await until(() => stopped.length === 1, "a's return()");
    expect(stopped).toEqual(['a']);
    expect(Object.keys(ctx.subscriptions)).toEqual(['b', 'c']);
    client.close();
    expect(await closed).toBe(1005);
    await until(() => stopped.length === 2, "b's return()");
    expect(stopped).toEqual(['a', 'b']);
    expect(Object.keys(runningOperations(ctx))).toEqual([]);
  } finally {
    await end();
  }
});

test('graphql-ws: a subscribe whose id is already among the running operations closes the socket with 4409', async () => {
  const { ctx, client, closed, end } = await acknowledged();
  try {
    runningOperations(ctx).x = null;
    client.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: '{ hello }' } }));
    expect(await closed).toBe(4409);
  } finally {
    await end();
  }
});

test('TypeORM: the node-postgres pool behind a PostgreSQL data source is reachable', async () => {
  const dataSource = createDataSource({ url: TEST_DATABASE_URL, poolSize: 2 });
  await dataSource.initialize();
  try {
    const pool = pgPoolOf(dataSource);
    expect(pool).toBeInstanceOf(Pool);
    expect((await pool!.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(pool!.totalCount).toBeGreaterThan(0);
  } finally {
    await dataSource.destroy();
  }
});
