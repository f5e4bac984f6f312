import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/infra/db/data-source';
import { DealDocument, MeDocument } from '../generated/graphql';
import { TEST_DATABASE_URL } from '../helpers/database';
import { gql, GraphQLResult, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard } from '../factories/workspace.factory';

/**
 * Internal errors, provoked honestly: the database refuses statements for reasons the code
 * does not map (a table missing from a throwaway database). Clients must see a generic
 * INTERNAL_SERVER_ERROR and none of the database's words.
 */
const name = `dealstream_broken_${randomUUID().replace(/-/g, '')}`;
const url = new URL(TEST_DATABASE_URL);
url.pathname = `/${name}`;

async function admin(statement: string) {
  const adminUrl = new URL(TEST_DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function onBrokenDatabase(statement: string, run: (t: TestApp) => Promise<void>) {
  await admin(`CREATE DATABASE ${name}`);
  let t: TestApp | undefined;
  try {
    const dataSource = createDataSource({ url: url.toString(), poolSize: 2 }) // migrate holds one connection for its lock;
    await dataSource.initialize();
    await migrate(dataSource);
    await dataSource.query(statement);
    await dataSource.destroy();
    t = await startTestApp({ DATABASE_URL: url.toString() });
    await run(t);
  } finally {
    await t?.stop();
    await admin(`DROP DATABASE ${name} WITH (FORCE)`);
  }
}

function expectMasked(result: GraphQLResult<unknown>) {
  expect(result.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['INTERNAL_SERVER_ERROR', 'Internal server error']]);
  const { path: _path, ...visible } = result.errors![0];
  expect(JSON.stringify(visible)).not.toMatch(/relation|exist|activities|SELECT|stack|QueryFailed/i);
  expect(Object.keys(result.errors![0].extensions!)).toEqual(['code']);
}

test('a resolver whose statement fails in the database answers a masked INTERNAL_SERVER_ERROR; other requests go on', async () => {
  await onBrokenDatabase('DROP TABLE activities CASCADE', async (t) => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Fine', value: 1 });
    const logged = jest.spyOn(t.app.logger, 'error');
    const result = await gql(t.url, b.admin, DealDocument, { id: deal.id });
    expectMasked(result);
    // What the client does not see is logged in full, for us.
    const [entry] = logged.mock.calls.find(([, message]) => message === 'internal error') as unknown as [{ err: Error }, string];
    expect(entry.err.message).toMatch(/relation "activities" does not exist/);
    // Answered by PostgreSQL in one statement: its failure is reported at the root field.
    expect(result.errors![0].path).toEqual(['deal']);
    expect(ok(await gql(t.url, b.admin, MeDocument)).me.id).toBe('admin-user');
  });
});
