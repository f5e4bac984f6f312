import {
  CreateLeadDocument, DealListFastPathDocument, DealListGeneralPathDocument, LeanBoardFastPathDocument, LeanBoardGeneralPathDocument,
  LeanBoardWithMeDocument, MeDocument,
} from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';

/**
 * When a board or a deal list asks only for plain deal columns and the people's leaf fields,
 * the fast path loads just those columns (and no cursor keys when no cursor is read); what
 * it answers must still be exactly what the general path answers.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

async function board() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  await gql(t.url, ws.token('REP', 'rep-1'), MeDocument);
  await gql(t.url, admin, MeDocument);
  const pipeline = await createPipeline(t.url, admin, 3);
  for (const [i, value] of [250.5, 1000, 75.25, 0].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, company: `Co ${i}`, source: 'REFERRAL' } })).createLead
      : null;
    await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i < 3 ? 0 : 1].id, title: `Deal ${i}`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T00:00:00.000Z' : undefined,
    });
  }
  return { admin, pipeline };
}

/** The statements sent by `run`, and its result. */
async function recorded<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  t.statements.length = 0;
  const result = await run();
  return { result, statements: [...t.statements] };
}

test('a lean board loads only the columns asked for and answers what the general path answers', async () => {
  const { admin, pipeline } = await board();
  for (const variables of [{ first: 20 }, { first: 2, orderBy: [{ field: 'VALUE' as const, direction: 'DESC' as const }] }]) {
    const fast = await recorded(async () => ok(await gql(t.url, admin, LeanBoardFastPathDocument, { id: pipeline.id, ...variables })));
    const general = ok(await gql(t.url, admin, LeanBoardGeneralPathDocument, variables));
    expect(fast.result.pipeline).toEqual(general.pipelines[0]);
    expect(fast.statements).toHaveLength(1);
    expect(fast.statements[0]).not.toMatch(/\b[tul]\.\*/); // deals, owners, leads: only their columns
    expect(fast.statements[0]).not.toContain('__k0');
  }
  const column = ok(await gql(t.url, admin, LeanBoardFastPathDocument, { id: pipeline.id, first: 20 })).pipeline!.stages[0].deals;
  expect(column.nodes.map((d) => [d.title, d.value, d.owner?.id ?? null, d.lead?.company ?? null])).toEqual([
    ['Deal 0', 250.5, 'rep-1', 'Co 0'], ['Deal 1', 1000, null, null], ['Deal 2', 75.25, 'rep-1', 'Co 2'],
  ]);
  expect(column.nodes[2].expectedCloseDate).toBe('2027-03-01T00:00:00.000Z');
});

test('with another root field the board loads whole rows, and still answers the same', async () => {
  const { admin, pipeline } = await board();
  const fast = await recorded(async () => ok(await gql(t.url, admin, LeanBoardWithMeDocument, { id: pipeline.id, first: 20 })));
  const general = ok(await gql(t.url, admin, LeanBoardGeneralPathDocument, { first: 20 }));
  expect(fast.result.pipeline).toEqual(general.pipelines[0]);
  expect(fast.statements.some((s) => /\bt\.\*/.test(s) && /\bu\.\*/.test(s))).toBe(true);
});

test('a lean deal list with cursors loads only its columns and pages exactly as the general path', async () => {
  const { admin } = await board();
  const variables = { first: 2, orderBy: [{ field: 'VALUE' as const, direction: 'DESC' as const }] };
  const fast = await recorded(async () => ok(await gql(t.url, admin, DealListFastPathDocument, variables)));
  const general = ok(await gql(t.url, admin, DealListGeneralPathDocument, variables));
  expect(fast.result.deals).toEqual(general.pipelines[0].deals);
  expect(fast.statements).toHaveLength(1);
  expect(fast.statements[0]).not.toMatch(/\b[tul]\.\*/);
  // Cursors included (compared above): the general path's `after` takes them.
  expect(fast.result.deals.nodes.map((d) => d.title)).toEqual(['Deal 1', 'Deal 0']);
});
