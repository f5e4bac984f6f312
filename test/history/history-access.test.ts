import {
  DealTimelineDocument, LogActivityDocument, PipelineFlowDocument, PipelineFlowFiguresDocument, PipelineSnapshotDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { newBoard, UNKNOWN_ID } from '../factories/workspace.factory';
import { dealWrites, mark } from './history-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe('tenancy, roles and limits of the history reads', () => {
  test('every role reads them; another workspace\'s pipeline, deals and cursors are not found', async () => {
    const b = await newBoard(t);
    await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Mine', value: 10 });
    const asOf = await mark();
    for (const role of ['ADMIN', 'MANAGER', 'REP', 'ANALYST'] as const) {
      const token = b.ws.token(role);
      expect(ok(await gql(t.url, token, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf })).pipelineSnapshot.openDealCount)
        .toBe(1);
      expect(ok(await gql(t.url, token, PipelineFlowFiguresDocument, { pipelineId: b.pipeline.id })).pipelineFlow.end.dealCount).toBe(1);
    }
    const other = newWorkspace();
    const stranger = other.token('ADMIN');
    await createPipeline(t.url, stranger, 2);
    expect(errorCodes(await gql(t.url, stranger, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, stranger, PipelineFlowDocument, { pipelineId: b.pipeline.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, PipelineFlowDocument, { pipelineId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);

    const page = ok(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf, first: 0 }))
      .pipelineSnapshot.stages[0].deals;
    expect(page.nodes).toEqual([]);
    const cursor = ok(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf, first: 1 }))
      .pipelineSnapshot.stages[0].deals.pageInfo.endCursor;
    const theirs = await createPipeline(t.url, stranger, 2, 'Theirs');
    const stolen = await gql(t.url, stranger, PipelineSnapshotDocument, { pipelineId: theirs.id, asOf, after: cursor });
    expect(errorCodes(stolen)).toEqual(['NOT_FOUND']);
  });

  test('bad arguments answer BAD_USER_INPUT with the argument named', async () => {
    const b = await newBoard(t);
    const asOf = await mark();
    const field = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.field;
    const tooMany = await gql(t.url, b.admin, PipelineFlowDocument, { pipelineId: b.pipeline.id, first: 501 });
    expect([errorCodes(tooMany), field(tooMany)]).toEqual([['BAD_USER_INPUT'], 'first']);
    const backwards = await gql(t.url, b.admin, PipelineFlowDocument, {
      pipelineId: b.pipeline.id, range: { from: '2027-02-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
    });
    expect([errorCodes(backwards), field(backwards)]).toEqual([['BAD_USER_INPUT'], 'range']);
    const closing = await gql(t.url, b.admin, PipelineFlowDocument, {
      pipelineId: b.pipeline.id, closingIn: { from: '2027-02-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
    });
    expect([errorCodes(closing), field(closing)]).toEqual([['BAD_USER_INPUT'], 'closingIn']);
    expect(errorCodes(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: 'nope', asOf }))).toEqual(['BAD_USER_INPUT']);
    const badCursor = await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf, after: 'garbage' });
    expect([errorCodes(badCursor), field(badCursor)]).toEqual([['BAD_USER_INPUT'], 'after']);
  });
});

describe('Deal.timeline', () => {
  test('changes and activities, newest first, paged; the durable history stands in for events the log pruned', async () => {
    const b = await newBoard(t);
    const w = dealWrites(t, b.admin);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Timeline', value: 100 });
    const call = ok(await gql(t.url, b.admin, LogActivityDocument, { input: { dealId: deal.id, type: 'CALL', subject: 'Intro call' } }))
      .logActivity;
    await w.move(deal.id, b.open[1].id);
    await w.update(deal.id, { value: 250 });

    const read = async (first: number, after?: string | null) =>
      ok(await gql(t.url, b.ws.token('ANALYST'), DealTimelineDocument, { id: deal.id, first, after })).deal!.timeline;
    const all = await read(50);
    const shown = all.edges.map((e) => (e.node.__typename === 'DealEvent' ? `${e.node.type}` : `activity ${e.node.subject}`));
    // The activity's own write of lastActivityAt is an UPDATED event just after it.
    expect(shown).toEqual(['UPDATED', 'MOVED', 'UPDATED', 'activity Intro call', 'CREATED']);
    const first = all.edges[0].node;
    expect(first.__typename === 'DealEvent' && first.changes).toEqual([{ field: 'VALUE', from: '100.00', to: '250.00' }]);
    expect(all.edges[3].node.__typename === 'Activity' && all.edges[3].node.id).toBe(call.id);

    const page1 = await read(2);
    const page2 = await read(2, page1.pageInfo.endCursor);
    const page3 = await read(2, page2.pageInfo.endCursor);
    expect([...page1.edges, ...page2.edges, ...page3.edges].map((e) => e.cursor)).toEqual(all.edges.map((e) => e.cursor));
    expect([page1.pageInfo.hasNextPage, page3.pageInfo.hasNextPage]).toEqual([true, false]);

    // Retention prunes the log; a field-less event (as STALLED is) the history does not hold shows while the log keeps it.
    const [{ seq }] = await sql<{ seq: string }>(
      `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, to_stage_id, occurred_at, txid)
       SELECT workspace_id, pipeline_id, id, 'UPDATED', stage_id, clock_timestamp(), 0 FROM deals WHERE id = $1 RETURNING seq::text`, [deal.id]);
    expect((await read(1)).edges[0].node).toMatchObject({ __typename: 'DealEvent', seq, changes: [] });
    await sql('DELETE FROM deal_events WHERE deal_id = $1', [deal.id]);
    const kept = await read(50);
    expect(kept.edges.map((e) => e.cursor)).toEqual(all.edges.map((e) => e.cursor));
    expect(kept.edges.map((e) => e.node)).toEqual(all.edges.map((e) => e.node));
  });

  test("a cursor belongs to its deal's timeline: on another deal's it is bad input (field after)", async () => {
    const b = await newBoard(t);
    const w = dealWrites(t, b.admin);
    const [one, other] = [await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'One', value: 1 }),
      await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Other', value: 2 })];
    for (const deal of [one, other]) await w.move(deal.id, b.open[1].id);
    const page = async (id: string, after?: string | null) => gql(t.url, b.admin, DealTimelineDocument, { id, first: 1, after });
    const cursor = ok(await page(one.id)).deal!.timeline.pageInfo.endCursor;

    expect(ok(await page(one.id, cursor)).deal!.timeline.edges.map((e) => e.node.__typename === 'DealEvent' && e.node.type)).toEqual(['CREATED']);
    const elsewhere = await page(other.id, cursor);
    expect([errorCodes(elsewhere), elsewhere.errors?.[0]?.extensions?.field]).toEqual([['BAD_USER_INPUT'], 'after']);
  });
});
