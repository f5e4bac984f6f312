import { AddressInfo, Socket } from 'node:net';
import { buildSchema } from 'graphql';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { Pool } from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import { forgetConnectionParams } from '../../src/features/realtime/ws/graphql-ws.adapter';
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
