import { EntityManager } from 'typeorm';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { parseId, parseIds } from '../../infra/db/ids';
import { hydrate, hydrateAll, queryRows } from '../../infra/db/rows';
import { optionalWholeNumber, requireName, requireProbability } from '../../infra/validation';
import { assertCanSetUpPipelines } from '../workspaces/access';
import { Viewer } from '../workspaces/viewer';
import { CreatePipelineInput, UpdateStageInput } from './pipeline.inputs';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';
import { StageKind } from './stage-kind';
import { assertValidStageOrder } from './stage-order';

const MAX_STAGES = 50;
const MAX_ROTTING_DAYS = 3650;

/** Pipeline set-up: creating pipelines, editing and ordering their stages. */
export class PipelineService {
  async list(em: EntityManager, viewer: Viewer): Promise<Pipeline[]> {
    const rows = await em.query('SELECT * FROM pipelines WHERE workspace_id = $1 ORDER BY created_at, id', [viewer.workspaceId]);
    return hydrateAll(em, Pipeline, rows);
  }

  async create(em: EntityManager, viewer: Viewer, input: CreatePipelineInput): Promise<Pipeline> {
    assertCanSetUpPipelines(viewer);
    const name = requireName(input.name, 'input.name');
    if (input.stages.length > MAX_STAGES) throw new BadInputError(`A pipeline has at most ${MAX_STAGES} stages`, 'input.stages');
    assertValidStageOrder(input.stages.map((s) => s.kind), 'input.stages');
    const stages = input.stages.map((s, i) => ({
      name: requireName(s.name, `input.stages[${i}].name`),
      kind: s.kind,
      probability: requireProbability(s.probability, `input.stages[${i}].probability`),
      rottingAfterDays: optionalWholeNumber(s.rottingAfterDays, `input.stages[${i}].rottingAfterDays`, 1, MAX_ROTTING_DAYS) ?? null,
    }));
    const [row] = await em.query('INSERT INTO pipelines (workspace_id, name) VALUES ($1, $2) RETURNING *', [viewer.workspaceId, name]);
    await em.query(
      `INSERT INTO stages (workspace_id, pipeline_id, name, kind, probability, rotting_after_days, position)
       SELECT $1, $2, s.name, s.kind::stage_kind, s.probability, s.rotting_after_days, s.position - 1
       FROM unnest($3::text[], $4::text[], $5::numeric[], $6::int[]) WITH ORDINALITY
         AS s(name, kind, probability, rotting_after_days, position)`,
      [viewer.workspaceId, row.id, stages.map((s) => s.name), stages.map((s) => s.kind),
        stages.map((s) => s.probability), stages.map((s) => s.rottingAfterDays)],
    );
    return hydrate(em, Pipeline, row);
  }

  async updateStage(em: EntityManager, viewer: Viewer, id: string, input: UpdateStageInput): Promise<Stage> {
    assertCanSetUpPipelines(viewer);
    const stageId = parseId(id, 'stage', 'id');
    const changes = {
      name: input.name === undefined ? undefined : requireName(input.name, 'input.name'),
      probability: input.probability === undefined ? undefined : requireProbability(input.probability, 'input.probability'),
      rottingAfterDays: optionalWholeNumber(input.rottingAfterDays, 'input.rottingAfterDays', 1, MAX_ROTTING_DAYS),
    };
    const [row] = await queryRows(em,
      `UPDATE stages SET
         name = COALESCE($3, name),
         probability = COALESCE($4, probability),
         rotting_after_days = CASE WHEN $5 THEN $6::int ELSE rotting_after_days END
       WHERE id = $1 AND workspace_id = $2 RETURNING *`,
      [stageId, viewer.workspaceId, changes.name ?? null, changes.probability ?? null,
        changes.rottingAfterDays !== undefined, changes.rottingAfterDays ?? null],
    );
    if (!row) throw new NotFoundError('stage', id);
    return hydrate(em, Stage, row);
  }

  async reorderStages(em: EntityManager, viewer: Viewer, pipelineId: string, stageIds: string[]): Promise<Pipeline> {
    assertCanSetUpPipelines(viewer);
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    const order = parseIds(stageIds, 'stage', 'stageIds');
    const [pipeline] = await em.query('SELECT * FROM pipelines WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [id, viewer.workspaceId]);
    if (!pipeline) throw new NotFoundError('pipeline', pipelineId);
    const current: { id: string; kind: StageKind }[] = await em.query('SELECT id, kind FROM stages WHERE pipeline_id = $1', [id]);
    const kindOf = new Map(current.map((s) => [s.id, s.kind]));
    if (order.length !== current.length || new Set(order).size !== order.length || !order.every((s) => kindOf.has(s))) {
      throw new BadInputError('stageIds must list every stage of the pipeline exactly once', 'stageIds');
    }
    assertValidStageOrder(order.map((s) => kindOf.get(s)!), 'stageIds');
    await em.query(
      `UPDATE stages SET position = o.position - 1
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position) WHERE stages.id = o.id AND stages.workspace_id = $2`,
      [order, viewer.workspaceId],
    );
    return hydrate(em, Pipeline, pipeline);
  }
}
