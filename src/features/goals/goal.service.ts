import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate, queryRows } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { num } from '../../infra/db/numeric';
import { withReportTimeout } from '../reports/report-timeout';
import { assertCanSetUpPipelines } from '../workspaces/access';
import { resolveUserId } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { outlook } from './goal-outlook';
import { GOAL_PROGRESS_SQL } from './goal-progress.sql';
import { Goal } from './goal.entity';
import { GoalMetric } from './goal.enums';
import { GoalProgress, SetGoalInput } from './goal.inputs';

type Row = Record<string, unknown>;

/** actual and attainment of a goal from the raw figures of its period. */
export function measure(metric: GoalMetric, target: number, row: Row): { actual: number; attainment: number | null } {
  const won = row.won_count as number;
  const closed = won + (row.lost_count as number);
  const ratio = (actual: number | null) => ({ actual: actual ?? 0, attainment: actual === null || target === 0 ? null : actual / target });
  switch (metric) {
    case GoalMetric.WON_VALUE: return ratio(num(row.won_value));
    case GoalMetric.WON_COUNT: return ratio(won);
    case GoalMetric.NEW_DEALS: return ratio(row.new_deals as number);
    case GoalMetric.WIN_RATE: return ratio(closed > 0 ? won / closed : null);
    case GoalMetric.AVERAGE_DEAL_SIZE: return ratio(num(row.average_deal_size));
    case GoalMetric.SALES_CYCLE_DAYS: {
      // Lower is better: attainment is target ÷ actual.
      const actual = num(row.average_sales_cycle_days);
      return { actual: actual ?? 0, attainment: actual === null || actual === 0 ? null : target / actual };
    }
  }
}

/** Goals (ADMIN or MANAGER set them) and their progress (every role may read it). */
export class GoalService {
  constructor(private readonly reportTimeoutMs: number) {}

  async set(em: EntityManager, viewer: Viewer, input: SetGoalInput): Promise<Goal> {
    assertCanSetUpPipelines(viewer);
    if (!Number.isFinite(input.target) || input.target <= 0) throw new BadInputError('target must be a number greater than 0', 'input.target');
    if (input.metric === GoalMetric.WIN_RATE && input.target > 1) throw new BadInputError('a WIN_RATE target is a fraction, at most 1', 'input.target');
    if (!(input.from < input.to)) throw new BadInputError('from must be before to', 'input.to');
    const pipelineId = input.pipelineId ? parseId(input.pipelineId, 'pipeline', 'input.pipelineId') : null;
    if (pipelineId) {
      const [pipeline] = await em.query('SELECT 1 FROM pipelines WHERE id = $1 AND workspace_id = $2', [pipelineId, viewer.workspaceId]);
      if (!pipeline) throw new NotFoundError('pipeline', input.pipelineId!);
    }
    const ownerId = (await resolveUserId(em, viewer, input.ownerId)) ?? null;
    const values = [viewer.workspaceId, input.metric, input.target, input.from, input.to, pipelineId, ownerId];
    let rows: Row[];
    if (input.id) {
      const id = parseId(input.id, 'goal', 'input.id');
      rows = await queryRows(em, `UPDATE goals SET metric = $2, target = $3, starts_at = $4, ends_at = $5, pipeline_id = $6, owner_id = $7
        WHERE id = $8 AND workspace_id = $1 RETURNING *`, [...values, id]);
      if (rows.length === 0) throw new NotFoundError('goal', input.id);
    } else {
      rows = await em.query(`INSERT INTO goals (workspace_id, metric, target, starts_at, ends_at, pipeline_id, owner_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`, values);
    }
    return hydrate(em, Goal, rows[0]);
  }

  async delete(em: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
    assertCanSetUpPipelines(viewer);
    const deleted = await queryRows(em, 'DELETE FROM goals WHERE id = $1 AND workspace_id = $2 RETURNING id', [parseId(id, 'goal', 'id'), viewer.workspaceId]);
    if (deleted.length === 0) throw new NotFoundError('goal', id);
    return true;
  }

  /** Progress of the goals of the workspace, narrowed to a pipeline and/or an owner when given. */
  async progress(em: EntityManager, viewer: Viewer, pipelineId?: string | null, ownerId?: string | null): Promise<GoalProgress[]> {
    const pipeline = pipelineId ? parseId(pipelineId, 'pipeline', 'pipelineId') : null;
    return withReportTimeout(em, this.reportTimeoutMs, async (tx) => {
      const owner = ownerId
        ? ((await tx.query('SELECT id FROM users WHERE workspace_id = $1 AND external_id = $2', [viewer.workspaceId, ownerId]))[0]?.id ?? null)
        : null;
      const rows: Row[] = await tx.query(GOAL_PROGRESS_SQL, [viewer.workspaceId, pipeline, owner, Boolean(ownerId)]);
      return rows.map((row) => {
        const goal = hydrate(tx, Goal, row);
        const { actual, attainment } = measure(goal.metric, goal.target, row);
        const now = new Date(row.computed_at as string | Date).getTime();
        const span = goal.endsAt.getTime() - goal.startsAt.getTime();
        const elapsed = Math.min(1, Math.max(0, (now - goal.startsAt.getTime()) / span));
        return Object.assign(new GoalProgress(), { goal, actual, attainment, elapsed, ...outlook(goal.metric, goal.target, { actual, attainment, elapsed }, row) });
      });
    });
  }
}
