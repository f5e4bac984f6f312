import { RecordFieldHistory1795800000000 } from '../../migrations/1795800000000-RecordFieldHistory';
import { IndexHistoryReadsEnds1795850300000 } from '../../migrations/1795850300000-IndexHistoryReadsEnds';
import { createDataSource, migrate } from '../../src/infra/db/data-source';
import { dropScratchDatabase, scratchDatabase, sql } from '../helpers/database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard } from '../factories/workspace.factory';
import { dealWrites } from './history-helpers';

let url: string;
let t: TestApp;
beforeAll(async () => {
  url = await scratchDatabase('backfill');
  const ds = createDataSource({ url });
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  t = await startTestApp({ DATABASE_URL: url });
});
afterAll(async () => {
  await t?.stop();
  await dropScratchDatabase(url);
});

const HISTORY = `SELECT deal_id, valid_to, valid_from, seq::text, type, actor_id, from_stage_id, to_stage_id, changes, title,
  value::text, stage_id, status, owner_id, expected_close_date, lost_reason, stage_entered_at FROM deal_history WHERE deal_id = $1 ORDER BY valid_to`;
const CHANGES = 'SELECT seq::text, type, changes FROM deal_events WHERE deal_id = $1 ORDER BY deal_events.seq';

/**
 * Drops the field history and the events' changes, then records them again as the migration does for older deals
 * (the later migration that reindexes the history is undone first and redone after).
 */
async function rerunMigration() {
  const ds = createDataSource({ url });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    const [migration, reindex] = [new RecordFieldHistory1795800000000(), new IndexHistoryReadsEnds1795850300000()];
    await reindex.down(runner);
    await migration.down(runner);
    await migration.up(runner);
    await reindex.up(runner);
  } finally {
    await runner.release();
    await ds.destroy();
  }
}

test('the backfill rebuilds stage moves exactly, and takes other fields as held since creation', async () => {
  const b = await newBoard(t);
  const w = dealWrites(t, b.admin);
  const moved = (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Moves only', value: 300,
    expectedCloseDate: '2027-03-01T00:00:00.000Z' })).id;
  await w.move(moved, b.open[2].id);
  await w.win(moved);
  await w.reopen(moved);
  await w.lose(moved, 'Too late'); // a lost reason is known only while the deal is still LOST
  const removed = (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Removed', value: 5 })).id;
  await w.move(removed, b.open[1].id);
  await w.remove(removed);
  const edited = (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Edited', value: 100 })).id;
  await w.update(edited, { value: 150 });
  await w.move(edited, b.open[1].id);

  const [history, events] = [await sql(HISTORY, [moved], url), await sql(CHANGES, [moved], url)];
  const [removedHistory, removedEvents] = [await sql(HISTORY, [removed], url), await sql(CHANGES, [removed], url)];
  const editedEvents = await sql<{ type: string; changes: { field: string; to: string | null }[] }>(CHANGES, [edited], url);
  await rerunMigration();

  // Moves, wins, losses and reopenings come from the stage history: the same rows and changes as recorded live
  // (the actor of a deletion is not in the stage history).
  expect(await sql(HISTORY, [moved], url)).toEqual(history);
  expect(await sql(CHANGES, [moved], url)).toEqual(events);
  const rebuilt = await sql(HISTORY, [removed], url);
  expect(rebuilt.map((row, i) => (i === rebuilt.length - 1 ? { ...row, actor_id: removedHistory[i].actor_id } : row)))
    .toEqual(removedHistory);
  expect(await sql(CHANGES, [removed], url)).toEqual(removedEvents);

  // The edited deal's value is taken as held since creation: its creation shows 150, its edit no change.
  const backfilled = await sql<{ type: string; changes: { field: string; to: string | null }[] }>(CHANGES, [edited], url);
  expect(editedEvents[0].changes.find((c) => c.field === 'VALUE')!.to).toBe('100.00');
  expect(backfilled.map((e) => [e.type, e.changes.filter((c) => c.field === 'VALUE').map((c) => c.to)]))
    .toEqual([['CREATED', ['150.00']], ['UPDATED', []], ['MOVED', []]]);
});
