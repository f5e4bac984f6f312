import { DealAggregatesDocument, MeDocument, PipelineMetricsDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createPipeline } from '../factories/pipeline.factory';

/** An app whose reports may run 1 ms, over a workspace big enough that none finishes in time. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ REPORT_TIMEOUT_MS: '1' });
});
afterAll(() => t.stop());

test('a report that runs past REPORT_TIMEOUT_MS answers QUERY_TOO_COMPLEX, and the app keeps serving', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 3);
  const stage = pipeline.stages[0].id;
  await sql(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, created_at)
    SELECT $1, 'Bulk ' || i, i % 1000, $2, $3, now() - i * interval '1 minute' FROM generate_series(1, 60000) i`, [ws.id, pipeline.id, stage]);
  await sql(`INSERT INTO stage_changes (workspace_id, deal_id, to_stage_id, changed_at)
    SELECT workspace_id, id, stage_id, created_at FROM deals WHERE workspace_id = $1`, [ws.id]);

  const analyst = ws.token('ANALYST');
  const metrics = await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId: pipeline.id });
  expect(errorCodes(metrics)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(metrics.errors![0].message).toMatch(/statement timeout/);
  const aggregates = await gql(t.url, analyst, DealAggregatesDocument, { groupBy: ['CREATED_MONTH', 'OWNER'] });
  expect(errorCodes(aggregates)).toEqual(['QUERY_TOO_COMPLEX']);

  // The limit is the report sessions' (or a report transaction's): the pool's other
  // connections keep the normal one, so a plain read right after still answers.
  const me = await gql(t.url, analyst, MeDocument);
  expect(ok(me).me.role).toBe('ANALYST');

});
