import { DealEventSeqsDocument } from '../generated/graphql';
import { openWriter } from './log-writes';
import { livePipeline, liveTestApp, move, newDeal, sleep, subscribers } from './realtime-fixtures';

// A poll far longer than any wait here: only commits and the dispatcher's own retries deliver.
const live = liveTestApp({ REALTIME_POLL_MS: '60000' }, { settle: true });
const { open } = live;

test('a subscriber without after starts past every event committed before it, also above an open gap', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  // A seq drawn below the next event by a transaction still open: the log's head lies past a gap.
  const pending = await openWriter();
  await pending.append(ws.id, pipeline.id, deal.id, stages.s2);
  const created = await newDeal(live.t, admin, pipeline.id, 'Committed before the subscription');

  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await sleep(100);
  await pending.rollback();
  await subscribers(live.t, 1);
  await move(live.t, admin, deal.id, stages.s3);

  const [event] = (await sub.waitFor(1)).map((m) => m.dealEvents);
  expect(event).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
  expect(sub.data.map((m) => m.dealEvents.deal.id)).not.toContain(created.id);
});

test('an event behind a rolled-back seq comes without waiting for the poll or another commit', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);

  const doomed = await openWriter();
  await doomed.append(ws.id, pipeline.id, deal.id, stages.s2);
  const moving = move(live.t, admin, deal.id, stages.s3);
  await sleep(50);
  await doomed.rollback();
  await moving;

  // The poll is a minute away and nothing else commits: only a retry of the held read delivers.
  const [event] = (await sub.waitFor(1, 10_000)).map((m) => m.dealEvents);
  expect(event).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
});
