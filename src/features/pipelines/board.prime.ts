import { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { queryPrepared } from '../../infra/db/prepared';
import { DomainError } from '../../infra/errors/domain-errors';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { dealListQuery } from '../deals/deal.query';
import { primeDealPages } from '../deals/deal-pages.prime';
import { boardSelection, BoardSelection } from './board-selection';
import { boardStatement, BoardRows } from './board.query';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

/**
 * The board fast path. When a `pipeline(id)` query asks for its stages' deals, loads the
 * pipeline, stages, first page of each column, counts, owners and leads in one statement and
 * primes the request's loaders with exactly the objects the general path would build. The
 * field resolvers then run unchanged and find everything in their loaders.
 *
 * It only ever fills this request's loaders, so nothing outlives the request and no write
 * can be missed. Anything it does not serve (no board below, aliases with different
 * arguments, a later page, arguments the general path refuses) is left to the general path,
 * which also reports the errors, at the field they belong to.
 */
export async function primeBoard(ctx: Context, info: GraphQLResolveInfo, pipelineId: string): Promise<void> {
  const selection = boardSelection(ctx, info);
  if (!selection) return;
  let query: KeysetQuery;
  try {
    query = dealListQuery(ctx.viewer, 'stage_id', selection.dealArgs);
  } catch (err) {
    if (err instanceof DomainError) return;
    throw err;
  }
  const statement = boardStatement(pipelineId, ctx.viewer.workspaceId, query, selection);
  const [rows] = await queryPrepared<BoardRows>(ctx.db, statement.sql, statement.params);
  primeLoaders(ctx, pipelineId, query, selection, rows);
}

function primeLoaders(ctx: Context, pipelineId: string, query: KeysetQuery, selection: BoardSelection, rows: BoardRows) {
  const { db: em, loaders } = ctx;
  const [pipeline] = hydrateJsonRows(em, Pipeline, rows.pipeline ? [rows.pipeline] : []);
  loaders.pipeline.prime(pipelineId, pipeline ?? null);
  if (!pipeline) return;

  const stages = hydrateJsonRows(em, Stage, rows.stages ?? []);
  loaders.stagesOfPipeline.prime(pipelineId, stages);
  for (const stage of stages) loaders.stage.prime(stage.id, stage);
  // The keys the Stage.deals resolver builds, so that its loads find these pages.
  primeDealPages(ctx, query, 'stage_id', stages.map((s) => s.id), selection.dealArgs, selection, rows);
}
