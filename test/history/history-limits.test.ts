import { MeDocument, PipelineFlowFiguresDocument, PipelineSnapshotDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createPipeline } from '../factories/pipeline.factory';

/** An app whose reports may run 1 ms, over a pipeline big enough that no history read finishes in time. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ REPORT_TIMEOUT_MS: '1' });
});
afterAll(() => t.stop());

test('a flow over ten years or a snapshot past the report time limit answers QUERY_TOO_COMPLEX; the app serves on', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 3);
  await sql(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, created_at, updated_at)
    SELECT $1, 'Bulk ' || i, i % 1000, $2, $3, now() - i * interval '1 minute', now() - i * interval '1 minute'
    FROM generate_series(1, 60000) i`, [ws.id, pipeline.id, pipeline.stages[0].id]);
  await sql('ANALYZE deals');

  const analyst = ws.token('ANALYST');
  const decade = { from: '2017-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
  const flow = await gql(t.url, analyst, PipelineFlowFiguresDocument, { pipelineId: pipeline.id, range: decade });
  expect(errorCodes(flow)).toEqual(['QUERY_TOO_COMPLEX']);
  const snapshot = await gql(t.url, analyst, PipelineSnapshotDocument, { pipelineId: pipeline.id, asOf: '2027-01-01T00:00:00.000Z' });
  expect(errorCodes(snapshot)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(ok(await gql(t.url, analyst, MeDocument)).me.role).toBe('ANALYST');
});
