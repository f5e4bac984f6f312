import { CreatePipelineDocument, PipelineDocument, PipelinesDocument, ReorderStagesDocument, StageInput, UpdateStageDocument } from '../generated/graphql';
import { postRaw } from '../helpers/raw-http';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { stagesOf } from '../factories/pipeline.factory';
import { countRows, newBoard, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const open = (name: string, probability = 0.5): StageInput => ({ name, kind: 'OPEN', probability });
const won: StageInput = { name: 'Won', kind: 'WON', probability: 1 };
const lost: StageInput = { name: 'Lost', kind: 'LOST', probability: 0 };

describe('createPipeline', () => {
  test('creates the stages in the order given, positions from 0', async () => {
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    const created = ok(await gql(t.url, admin, CreatePipelineDocument, {
      input: { name: ' Sales ', stages: [{ ...open('Lead in', 0.1), rottingAfterDays: 14 }, open('Proposal', 0.6), lost, won] },
    })).createPipeline;
    expect(created.name).toBe('Sales');
    expect(created.stages.map((s) => [s.name, s.position, s.kind, s.probability, s.rottingAfterDays])).toEqual([
      ['Lead in', 0, 'OPEN', 0.1, 14], ['Proposal', 1, 'OPEN', 0.6, null], ['Lost', 2, 'LOST', 0, null], ['Won', 3, 'WON', 1, null],
    ]);
    expect(ok(await gql(t.url, admin, PipelinesDocument)).pipelines).toEqual([{ id: created.id, name: 'Sales' }]);
  });

  test.each<[string, StageInput[]]>([
    ['no stages', []],
    ['no OPEN stage', [won, lost]],
    ['no WON stage', [open('A'), lost]],
    ['no LOST stage', [open('A'), won]],
    ['two WON stages', [open('A'), won, { ...won, name: 'Won again' }, lost]],
    ['two LOST stages', [open('A'), won, lost, { ...lost, name: 'Lost again' }]],
    ['an OPEN stage after WON', [open('A'), won, open('B'), lost]],
    ['an OPEN stage after LOST', [open('A'), lost, open('B'), won]],
    ['an empty stage name', [open(''), won, lost]],
    ['a stage name of 201 characters', [open('x'.repeat(201)), won, lost]],
    ['a probability below 0', [open('A', -0.01), won, lost]],
    ['a probability above 1', [open('A', 1.01), won, lost]],
    ['rottingAfterDays of 0', [{ ...open('A'), rottingAfterDays: 0 }, won, lost]],
    ['more than 50 stages', [...Array.from({ length: 49 }, (_, i) => open(`S${i}`)), won, lost]],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_, stages) => {
    const ws = newWorkspace();
    const result = await gql(t.url, ws.token('ADMIN'), CreatePipelineDocument, { input: { name: 'Sales', stages } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await countRows('pipelines', ws.id)).toBe(0);
    expect(await countRows('stages', ws.id)).toBe(0);
  });

  test('refuses an empty or over-long pipeline name', async () => {
    const ws = newWorkspace();
    for (const name of ['', '   ', 'x'.repeat(201)]) {
      expect(errorCodes(await gql(t.url, ws.token('ADMIN'), CreatePipelineDocument, { input: { name, stages: stagesOf(1) } }))).toEqual(['BAD_USER_INPUT']);
    }
    const longest = ok(await gql(t.url, ws.token('ADMIN'), CreatePipelineDocument, { input: { name: 'x'.repeat(200), stages: stagesOf(1) } }));
    expect(longest.createPipeline.name).toHaveLength(200);
  });

  test('a non-finite probability is refused before it reaches the service', async () => {
    const ws = newWorkspace();
    const body = `{"query":"mutation($s:[StageInput!]!){createPipeline(input:{name:\\"P\\",stages:$s}){id}}",
      "variables":{"s":[{"name":"A","kind":"OPEN","probability":1e999},{"name":"W","kind":"WON","probability":1},{"name":"L","kind":"LOST","probability":0}]}}`;
    const result = await postRaw(t.url, ws.token('ADMIN'), body);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await countRows('pipelines', ws.id)).toBe(0);
  });
});

describe('updateStage', () => {
  test('renames, reweights and sets or clears the rotting threshold; absent fields stay', async () => {
    const b = await newBoard(t);
    const stage = b.open[0];
    const renamed = ok(await gql(t.url, b.admin, UpdateStageDocument, { id: stage.id, input: { name: 'Discovery', rottingAfterDays: 5 } })).updateStage;
    expect(renamed).toMatchObject({ id: stage.id, name: 'Discovery', probability: stage.probability, rottingAfterDays: 5, position: 0 });
    const reweighted = ok(await gql(t.url, b.admin, UpdateStageDocument, { id: stage.id, input: { probability: 0.35 } })).updateStage;
    expect(reweighted).toMatchObject({ name: 'Discovery', probability: 0.35, rottingAfterDays: 5 });
    const cleared = ok(await gql(t.url, b.admin, UpdateStageDocument, { id: stage.id, input: { rottingAfterDays: null } })).updateStage;
    expect(cleared).toMatchObject({ name: 'Discovery', probability: 0.35, rottingAfterDays: null });
  });

  test('bad values and unknown or malformed ids write nothing', async () => {
    const b = await newBoard(t);
    const before = ok(await gql(t.url, b.admin, PipelineDocument, { id: b.pipeline.id })).pipeline;
    const update = (input: object, id = b.open[0].id) => gql(t.url, b.admin, UpdateStageDocument, { id, input });
    expect(errorCodes(await update({ probability: 1.5 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ probability: -0.1 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ name: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ name: null }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ probability: null }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ name: 'x'.repeat(201) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ rottingAfterDays: -3 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update({ name: 'A' }, UNKNOWN_ID))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await update({ name: 'A' }, 'stage-1'))).toEqual(['BAD_USER_INPUT']);
    expect(ok(await gql(t.url, b.admin, PipelineDocument, { id: b.pipeline.id })).pipeline).toEqual(before);
  });
});

describe('reorderStages', () => {
  test('puts the stages in the order given', async () => {
    const b = await newBoard(t);
    const [s1, s2, s3] = b.open;
    const order = [s3.id, s1.id, s2.id, b.lost.id, b.won.id];
    const result = ok(await gql(t.url, b.admin, ReorderStagesDocument, { pipelineId: b.pipeline.id, stageIds: order })).reorderStages;
    expect(result.stages.map((s) => [s.id, s.position])).toEqual(order.map((id, i) => [id, i]));
    const read = ok(await gql(t.url, b.admin, PipelineDocument, { id: b.pipeline.id })).pipeline!;
    expect(read.stages.map((s) => s.id)).toEqual(order);
  });

  test('refuses a partial list, duplicates, foreign stages, a broken shape and unknown pipelines; nothing changes', async () => {
    const b = await newBoard(t);
    const other = await newBoard(t);
    const [s1, s2, s3] = b.open;
    const before = await snapshot(b.ws.id);
    const reorder = (stageIds: string[], pipelineId = b.pipeline.id) => gql(t.url, b.admin, ReorderStagesDocument, { pipelineId, stageIds });
    expect(errorCodes(await reorder([s1.id, s2.id, b.won.id, b.lost.id]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reorder([s1.id, s1.id, s2.id, s3.id, b.won.id, b.lost.id]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reorder([s1.id, s2.id, other.open[0].id, b.won.id, b.lost.id]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reorder([s1.id, s2.id, b.won.id, s3.id, b.lost.id]))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reorder([s1.id, 'nope']))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reorder([s1.id], UNKNOWN_ID))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await reorder(other.pipeline.stages.map((s) => s.id), other.pipeline.id))).toEqual(['NOT_FOUND']);
    expect(await snapshot(b.ws.id)).toEqual(before);
    const read = ok(await gql(t.url, b.admin, PipelineDocument, { id: b.pipeline.id })).pipeline!;
    expect(read.stages.map((s) => s.id)).toEqual(b.pipeline.stages.map((s) => s.id));
  });
});
