import {
  BoardDocument, CreateDealDocument, DealEventsDocument, LastEventSeqDocument, MoveDealDocument, PipelineMetricsUpdatedDocument, PipelinesDocument,
} from '../../client';
import { createPipeline } from '../factories/pipeline.factory';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';

/** The typed client's documents (client/operations), as a frontend would use them, against a real server. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.stop());

test('the board, a guarded move and both subscriptions work with the typed client documents', async () => {
  const ws = newWorkspace();
  const rep = ws.token('REP');
  const pipeline = await createPipeline(t.url, ws.token('ADMIN'), 2, 'Client');
  const [lead, offer] = pipeline.stages;
  expect(ok(await gql(t.url, rep, PipelinesDocument)).pipelines).toEqual([{ id: pipeline.id, name: 'Client' }]);

  const deal = ok(await gql(t.url, rep, CreateDealDocument, { input: { pipelineId: pipeline.id, title: 'Typed deal', value: 1200 } })).createDeal;
  expect(deal).toMatchObject({ title: 'Typed deal', value: 1200, status: 'OPEN', version: 1, stage: { id: lead.id } });

  // The log's seq first, then the board: the events after it are the changes the board does not show yet.
  const { lastEventSeq } = ok(await gql(t.url, rep, LastEventSeqDocument));
  const board = ok(await gql(t.url, rep, BoardDocument, { pipelineId: pipeline.id })).pipeline!;
  expect(board.stages.map((s) => [s.name, s.deals.totalCount])).toEqual([['Stage 1', 1], ['Stage 2', 0], ['Won', 0], ['Lost', 0]]);

  const live = wsClient(t.url, ws.token('ANALYST'));
  const events = live.subscribe(DealEventsDocument, { pipelineId: pipeline.id, after: lastEventSeq });
  const metrics = live.subscribe(PipelineMetricsUpdatedDocument, { pipelineId: pipeline.id });
  expect((await metrics.waitFor(1))[0].pipelineMetricsUpdated).toMatchObject({ openDealCount: 1, openValue: 1200 });

  const moved = ok(await gql(t.url, rep, MoveDealDocument, { id: deal.id, stageId: offer.id, expectedVersion: 1 })).moveDeal;
  expect(moved).toMatchObject({ version: 2, stage: { id: offer.id } });
  expect(errorCodes(await gql(t.url, rep, MoveDealDocument, { id: deal.id, stageId: lead.id, expectedVersion: 1 }))).toEqual(['CONFLICT']);

  const [event] = await events.waitFor(1);
  expect(event.dealEvents).toMatchObject({ type: 'MOVED', deal: { id: deal.id, version: 2 }, fromStage: { name: 'Stage 1' }, toStage: { name: 'Stage 2' } });
  const latest = async () => metrics.data[metrics.data.length - 1].pipelineMetricsUpdated;
  for (let i = 0; i < 100 && (await latest()).stages[1].dealCount !== 1; i += 1) await new Promise((r) => setTimeout(r, 50));
  expect((await latest()).stages.map((s) => s.dealCount)).toEqual([0, 1, 0, 0]);
  await live.dispose();
});
