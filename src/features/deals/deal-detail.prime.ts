import { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { queryPrepared } from '../../infra/db/prepared';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { SqlParams } from '../../infra/db/sql-params';
import { Selection } from '../../infra/graphql/selection';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';
import { StageChange } from './stage-change.entity';

interface DealDetailRows {
  deal: Record<string, unknown> | null;
  stages: Record<string, unknown>[] | null;
  history?: Record<string, unknown>[] | null;
  users?: Record<string, unknown>[] | null;
}

/**
 * The deal-detail fast path. When a `deal(id)` query asks for the deal's stage, owner or
 * history, loads the deal, the stages of its pipeline, its history and the people it names
 * in one statement, and primes the request's loaders with exactly the objects the general
 * path would build (the same `SELECT *` rows, hydrated the same way), so that the field
 * resolvers run unchanged and find them there. Nothing outlives the request. A query that
 * asks for none of these is left to the general path, which needs one statement anyway.
 */
export async function primeDealDetail(ctx: Context, info: GraphQLResolveInfo, dealId: string): Promise<void> {
  const selected = Selection.of(info);
  const history = selected.has('history');
  const users = selected.has('owner') || selected.down('history').has('changedBy');
  if (!history && !users && !selected.has('stage', 'isStalled')) return;

  const params = new SqlParams();
  const id = params.add(dealId);
  const workspace = params.add(ctx.viewer.workspaceId);
  const parts = [
    '(SELECT row_to_json(deal) FROM deal) AS deal',
    // Every stage of the pipeline: the deal's own and any its history names.
    `(SELECT json_agg(s) FROM stages s WHERE s.pipeline_id IN (SELECT pipeline_id FROM deal) AND s.workspace_id = ${workspace}) AS stages`,
  ];
  if (history) parts.push('(SELECT json_agg(h ORDER BY h.changed_at, h.id) FROM history h) AS history');
  if (users) {
    parts.push(`(SELECT json_agg(u) FROM users u WHERE u.workspace_id = ${workspace}
      AND u.id IN (SELECT owner_id FROM deal UNION SELECT changed_by_id FROM history)) AS users`);
  }
  const sql = `WITH deal AS (SELECT * FROM deals WHERE id = ${id} AND workspace_id = ${workspace} AND deleted_at IS NULL),
    history AS (SELECT * FROM stage_changes WHERE deal_id IN (SELECT id FROM deal) AND workspace_id = ${workspace})
    SELECT ${parts.join(',\n    ')}`;
  const [rows] = await queryPrepared<DealDetailRows>(ctx.db, sql, params.values);

  const { db: em, loaders } = ctx;
  const [deal] = hydrateJsonRows(em, Deal, rows.deal ? [rows.deal] : []);
  loaders.deal.prime(dealId, deal ?? null);
  if (!deal) return;
  for (const stage of hydrateJsonRows(em, Stage, rows.stages ?? [])) loaders.stage.prime(stage.id, stage);
  for (const user of hydrateJsonRows(em, User, rows.users ?? [])) loaders.user.prime(user.id, user);
  if (history) loaders.historyOfDeal.prime(deal.id, hydrateJsonRows(em, StageChange, rows.history ?? []));
}
