import {
  BoardColumnsWithDifferentArgumentsDocument, BoardFastPathDocument, BoardFastPathQueryVariables, BoardGeneralPathDocument,
  CreateLeadDocument,
} from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, resolversAnswer, startTestApp, TestApp, TestWorkspace } from '../helpers/test-app';
import { signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  // Over HTTP a variable `first` is priced as the largest page; these boards are small.
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

/** Both paths for the same board (the general one: the resolvers alone, in process), and the statements each one sent. */
async function bothPaths(token: string, variables: BoardFastPathQueryVariables) {
  await signIn(t, token); // the identity is remembered from here on
  t.statements.length = 0;
  const fast = ok(await gql(t.url, token, BoardFastPathDocument, variables));
  const fastStatements = t.statements.length;
  const { id: _, ...generalVariables } = variables;
  t.statements.length = 0;
  const general = ok(await resolversAnswer(t, token, BoardGeneralPathDocument, generalVariables));
  expect(general.pipelines).toHaveLength(1);
  return { fast: fast.pipeline, general: general.pipelines[0], fastStatements, generalStatements: t.statements.length };
}

/** A board with variety: owned and unowned deals, with and without a lead, one deleted. */
async function variedBoard() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  await signIn(t, ws.token('REP', 'rep-1'));
  const pipeline = await createPipeline(t.url, admin, 3);
  const [first, second] = pipeline.stages;
  const values = [250.5, 1000, 75.25, 1000, 0];
  for (const [i, value] of values.entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, company: `Co ${i}`, source: 'REFERRAL' } })).createLead
      : null;
    await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: i < 3 ? first.id : second.id, title: `Deal ${i}`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T00:00:00.000Z' : undefined,
    });
  }
  await sql(`UPDATE deals SET deleted_at = now() WHERE workspace_id = $1 AND title = 'Deal 4'`, [ws.id]);
  return { ws, admin, pipeline };
}

/** `perStage` deals with a lead and an owner in each OPEN stage of an 8-stage pipeline, inserted in bulk. */
async function bulkBoard(perStage: number) {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  await signIn(t, admin);
  const pipeline = await createPipeline(t.url, admin, 6);
  await sql(
    `WITH s AS (SELECT id, pipeline_id, row_number() OVER (ORDER BY position) AS n FROM stages WHERE pipeline_id = $2 AND kind = 'OPEN'),
     d AS (SELECT s.id AS stage_id, s.pipeline_id, s.n, g AS i FROM s CROSS JOIN generate_series(1, $3::int) g),
     l AS (INSERT INTO leads (workspace_id, name, source) SELECT $1, 'Lead ' || n || '-' || i, 'INBOUND' FROM d RETURNING id, name)
     INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, owner_id, lead_id, created_at)
     SELECT $1, 'Deal ' || d.n || '-' || d.i, d.i * 10.5, d.pipeline_id, d.stage_id,
       (SELECT id FROM users WHERE workspace_id = $1 LIMIT 1), l.id, now() - d.i * interval '1 minute'
     FROM d JOIN l ON l.name = 'Lead ' || d.n || '-' || d.i`,
    [ws.id, pipeline.id, perStage],
  );
  return { ws, admin, pipeline };
}

test('the fast path answers exactly what the general path answers, in one statement', async () => {
  const { admin, pipeline } = await variedBoard();
  const { fast, general, fastStatements } = await bothPaths(admin, { id: pipeline.id, first: 20 });

  expect(fast).toEqual(general);
  const column = fast!.stages[0].deals;
  expect(column.totalCount).toBe(3);
  expect(column.nodes.map((d) => d.title)).toEqual(['Deal 0', 'Deal 1', 'Deal 2']);
  expect(column.nodes.map((d) => d.value)).toEqual([250.5, 1000, 75.25]);
  expect(column.nodes.map((d) => d.owner?.id ?? null)).toEqual(['rep-1', null, 'rep-1']);
  expect(column.nodes.map((d) => d.lead?.company ?? null)).toEqual(['Co 0', null, 'Co 2']);
  expect(column.nodes[2].expectedCloseDate).toBe('2027-03-01T00:00:00.000Z');
  expect(fast!.stages[1].deals.totalCount).toBe(1); // the deleted deal counts nowhere
  expect(fastStatements).toBe(1);
});

test('ordering and filters give the same pages on both paths', async () => {
  const { admin, pipeline } = await variedBoard();
  const variables = { id: pipeline.id, first: 2, orderBy: [{ field: 'VALUE' as const, direction: 'DESC' as const }], filter: { ownerId: 'rep-1' } };
  const { fast, general, fastStatements } = await bothPaths(admin, variables);

  expect(fast).toEqual(general);
  const column = fast!.stages[0].deals;
  expect(column.nodes.map((d) => d.title)).toEqual(['Deal 0', 'Deal 2']);
  expect(column.totalCount).toBe(2);
  expect(column.pageInfo.hasNextPage).toBe(false);
  expect(fast!.stages[1].deals.nodes.map((d) => d.title)).toEqual(['Deal 3']);
  expect(fastStatements).toBe(1);
});

test.each([
  [200, 20],
  [200, 200],
  [20, 20],
])('with %i deals per stage and first: %i the board costs one statement and matches the general path', async (perStage, first) => {
  const { admin, pipeline } = await bulkBoard(perStage);
  const { fast, general, fastStatements, generalStatements } = await bothPaths(admin, { id: pipeline.id, first });

  expect(fast).toEqual(general);
  expect(fast!.stages).toHaveLength(8);
  const column = fast!.stages[0].deals;
  expect(column.totalCount).toBe(perStage);
  expect(column.nodes).toHaveLength(first);
  expect(column.pageInfo.hasNextPage).toBe(perStage > first);
  // Oldest first: deal i was created i minutes ago.
  expect(column.nodes[0].title).toBe(`Deal 1-${perStage}`);
  expect(column.nodes.every((d) => d.owner?.id === 'admin-user' && d.lead !== null)).toBe(true);
  expect(fast!.stages[7].deals.totalCount).toBe(0);
  expect(fastStatements).toBeLessThanOrEqual(3);
  expect(fastStatements).toBe(1);
  // The general path batches too: pipelines, stages, pages with their counts, owners, leads, stage and pipeline by id.
  expect(generalStatements).toBe(7);
});

test("another workspace's pipeline answers NOT_FOUND, as a missing one does", async () => {
  const { pipeline } = await variedBoard();
  const other: TestWorkspace = newWorkspace();
  const result = await gql(t.url, other.token('ADMIN'), BoardFastPathDocument, { id: pipeline.id, first: 20 });
  expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  expect(result.data?.pipeline ?? null).toBeNull();
});

test('bad arguments are reported by the general path, at the column', async () => {
  const { admin, pipeline } = await variedBoard();
  const result = await gql(t.url, admin, BoardFastPathDocument, { id: pipeline.id, first: 501 });
  expect(errorCodes(result)).toContain('BAD_USER_INPUT');
  expect(result.errors![0].path).toEqual(['pipeline', 'stages', 0, 'deals']);
});

test('columns asked twice with different arguments fall back to the general path, still correct', async () => {
  const { admin, pipeline } = await variedBoard();
  const data = ok(await gql(t.url, admin, BoardColumnsWithDifferentArgumentsDocument, { id: pipeline.id }));
  const column = data.pipeline!.stages[0];
  expect(column.firstTwo.nodes).toHaveLength(2);
  expect(column.firstThree.nodes).toHaveLength(3);
});
