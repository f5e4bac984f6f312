import { getNamedType, GraphQLField, isCompositeType, isNonNullType } from 'graphql';
import { randomUUID } from 'node:crypto';
import { CreateDealDocument, CreateLeadDocument, LogActivityDocument, SetGoalDocument } from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { FuzzPools, prng, randomValue } from './fuzz-values';
import { postQuery } from './http';

/** Replay a failure with FUZZ_SEED=<seed printed in the failure>. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const CASES_PER_MUTATION = Number(process.env.FUZZ_CASES ?? 25);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/**
 * Where the shared test database's only workspace index is partial, a filter that can use an
 * index (deleting a deal still shows: it leaves the live set).
 */
const FILTERS: Record<string, string> = {
  deals: 'workspace_id = $1 AND deleted_at IS NULL',
};

/**
 * Derived from the ledger (stage_changes, in the digest): the visits, which the fold that any
 * report in any test may run at any moment writes, and the fold's queue of copied changes,
 * which it drains at any moment. A write's changes are in the digest through the ledger.
 */
const DERIVED = new Set(['stage_visits', 'stage_visit_backlog']);

let db: Client;
let digestSql: string;
beforeAll(async () => {
  db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'workspace_id' ORDER BY table_name",
  );
  digestSql = `SELECT ${tables.rows.filter(({ table_name }) => !DERIVED.has(table_name)).map(({ table_name }) =>
    `(SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM "${table_name}" t WHERE ${FILTERS[table_name] ?? 'workspace_id = $1'}) AS "${table_name}"`).join(', ')}`;
});
afterAll(() => db.end());

/** A digest of every row of the workspace, in every table that has a workspace_id, in one statement. */
async function workspaceDigest(workspaceId: string): Promise<string> {
  return JSON.stringify((await db.query(digestSql, [workspaceId])).rows[0]);
}

/** A workspace with a pipeline, a deal, a lead, an activity and a goal, so that ids hit real rows. */
async function seededWorkspace() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2);
  const deal = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, title: 'Fuzzed', value: 10 } })).createDeal;
  const lead = ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: 'Fuzzed lead', source: 'OTHER' } })).createLead;
  const activity = ok(await gql(t.url, admin, LogActivityDocument, { input: { type: 'NOTE', subject: 'n', dealId: deal.id } })).logActivity;
  const goal = ok(await gql(t.url, admin, SetGoalDocument, {
    input: { metric: 'WON_VALUE', target: 1000, from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' },
  })).setGoal;
  const other = newWorkspace();
  const foreignPipeline = await createPipeline(t.url, other.token('ADMIN'), 1);
  const ids = [
    pipeline.id, ...pipeline.stages.map((s) => s.id), deal.id, lead.id, activity.id, goal.id, 'admin-user',
    foreignPipeline.id, foreignPipeline.stages[0].id, randomUUID(), 'not-an-id', '', '0', '-1',
  ];
  return { ws, admin, pools: { ids } as FuzzPools };
}

function operationFor(field: GraphQLField<unknown, unknown>): string {
  const params = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `mutation${params ? `(${params})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

test(`random inputs to every mutation never answer 500 and never write partially (seed ${SEED})`, async () => {
  const { ws, admin, pools } = await seededWorkspace();
  const mutations = Object.values(t.app.schema.getMutationType()!.getFields());
  expect(mutations.map((m) => m.name)).toEqual(expect.arrayContaining(['createDeal', 'moveDeal', 'convertLead', 'logActivity', 'setGoal']));
  const random = prng(SEED);
  const failures: string[] = [];
  let refused = 0;
  let served = 0;
  let state = await workspaceDigest(ws.id);
  const codesSeen = new Set<string | undefined>();

  for (const mutation of mutations) {
    const query = operationFor(mutation);
    for (let i = 0; i < CASES_PER_MUTATION; i++) {
      const variables = Object.fromEntries(mutation.args
        .filter((a) => isNonNullType(a.type) || random() < 0.7)
        .map((a) => [a.name, randomValue(a.type, random, pools)]));
      const response = await postQuery(t.url, query, { token: admin, variables });
      const errorCodes = (response.body?.errors ?? []).map((e) => e.extensions?.code);
      const label = `${mutation.name} ${JSON.stringify(variables).slice(0, 300)}`;
      if (response.status >= 500 || errorCodes.includes('INTERNAL_SERVER_ERROR') || !response.body) {
        failures.push(`${response.status} ${JSON.stringify(response.body?.errors ?? null)} for ${label}`);
      }
      const after = await workspaceDigest(ws.id);
      if (errorCodes.length > 0) {
        refused++;
        errorCodes.forEach((c) => codesSeen.add(c));
        if (process.env.FUZZ_DEBUG) console.log(mutation.name, errorCodes.join(), response.body?.errors?.[0]?.message?.slice(0, 120));
        if (after !== state) failures.push(`partial write on ${errorCodes.join(',')} for ${label}`);
      } else {
        served++;
      }
      state = after;
    }
  }
  expect(failures).toEqual([]);
  // The fuzzer must reach past coercion into the services (NOT_FOUND comes from there) and into real writes.
  expect(refused).toBeGreaterThan(100);
  expect(codesSeen.has('NOT_FOUND')).toBe(true);
  expect(served).toBeGreaterThan(0);
}, 180_000);
