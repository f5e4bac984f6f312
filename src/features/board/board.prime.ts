import { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { DomainError } from '../../infra/errors/domain-errors';
import { encodeCursor } from '../../infra/pagination/cursor';
import { KeysetQuery, RawPage, toPage } from '../../infra/pagination/keyset';
import { Deal } from '../deals/deal.entity';
import { DealPageKey } from '../deals/deal.loaders';
import { dealListQuery } from '../deals/deal.query';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { boardSelection, BoardSelection } from './board-selection';
import { boardStatement, BoardRows } from './board.query';
import { hydrateJsonRows } from '../../infra/db/json-rows';

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
  const selection = boardSelection(info);
  if (!selection) return;
  let query: KeysetQuery;
  try {
    query = dealListQuery(ctx.viewer, 'stage_id', selection.dealArgs);
  } catch (err) {
    if (err instanceof DomainError) return;
    throw err;
  }
  const statement = boardStatement(pipelineId, ctx.viewer.workspaceId, query, selection);
  const [rows]: BoardRows[] = await ctx.db.query(statement.sql, statement.params);
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
  for (const user of hydrateJsonRows(em, User, rows.owners ?? [])) loaders.user.prime(user.id, user);
  for (const lead of hydrateJsonRows(em, Lead, rows.leads ?? [])) loaders.lead.prime(lead.id, lead);

  const dealRows = rows.deals ?? [];
  const deals = hydrateJsonRows(em, Deal, dealRows);
  const dealOf = new Map(dealRows.map((row, i) => [row, deals[i]]));
  const pages = rawPages(query, stages, dealRows);
  for (const stage of stages) {
    // The same key the Stage.deals resolver builds, so that its load finds this page.
    const key: DealPageKey = { parent: 'stage_id', parentId: stage.id, args: { ...selection.dealArgs } };
    if (selection.totalCount) loaders.dealCounts.prime(key, rows.counts?.[stage.id] ?? 0);
    loaders.dealPages.prime(key, toPage(pages.get(stage.id)!, (row) => dealOf.get(row)!, query.after,
      () => loaders.dealCounts.load(key)));
  }
}

/** Splits the deal rows into one page per stage, as `fetchPages` does: `first` rows, and whether more follow. */
function rawPages(query: KeysetQuery, stages: Stage[], rows: Record<string, unknown>[]): Map<string, RawPage> {
  const pages = new Map<string, RawPage>(stages.map((s) => [s.id, { rows: [], cursors: [], hasNextPage: false }]));
  for (const row of rows) {
    const page = pages.get(row.__parent as string)!;
    if (page.rows.length === query.first) {
      page.hasNextPage = true;
      continue;
    }
    page.rows.push(row);
    page.cursors.push(encodeCursor(query.workspaceId, query.ordering, query.sort.map((_, i) => String(row[`__k${i}`]))));
  }
  return pages;
}
