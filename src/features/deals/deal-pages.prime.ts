import type { Context } from '../../context';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { encodeCursor, listIdentity } from '../../infra/pagination/cursor';
import { KeysetQuery, RawPage, toPage } from '../../infra/pagination/keyset';
import { healthOf } from '../health/health.loaders';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';
import { DealPageKey } from './deal.loaders';
import { DealListArgs, DealParent } from './deal.query';
import { DealPageRows, PageNeeds } from './deal-pages.query';

/**
 * Primes the request's deal pages (one per parent), their counts, owners and leads from
 * the rows of a fast-path statement, under the very keys the general path's resolvers load:
 * `{ parent, parentId, args: { ...args } }`.
 */
export function primeDealPages(ctx: Context, query: KeysetQuery, parent: DealParent, parentIds: string[], args: DealListArgs,
  needs: PageNeeds, rows: DealPageRows): void {
  const { db: em, loaders } = ctx;
  for (const user of hydrateJsonRows(em, User, rows.owners ?? [])) loaders.user.prime(user.id, user);
  for (const lead of hydrateJsonRows(em, Lead, rows.leads ?? [])) loaders.lead.prime(lead.id, lead);
  for (const health of rows.health ?? []) loaders.dealHealth.prime(health.id as string, healthOf(health));

  const dealRows = rows.deals ?? [];
  const deals = hydrateJsonRows(em, Deal, dealRows);
  const dealOf = new Map(dealRows.map((row, i) => [row, deals[i]]));
  const pages = rawPages(query, parentIds, dealRows, needs.cursors);
  for (const parentId of parentIds) {
    const key: DealPageKey = { parent, parentId, args: { ...args } };
    if (needs.totalCount) loaders.dealCounts.prime(key, rows.counts?.[parentId] ?? 0);
    loaders.dealPages.prime(key, toPage(pages.get(parentId)!, (row) => dealOf.get(row)!, query.after,
      () => loaders.dealCounts.load(key)));
  }
}

/**
 * Splits the deal rows into one page per parent, as `fetchPages` does: `first` rows, and
 * whether more follow; with their cursors only when the query reads any.
 */
function rawPages(query: KeysetQuery, parentIds: string[], rows: Record<string, unknown>[], cursors: boolean): Map<string, RawPage> {
  const pages = new Map<string, RawPage & { cursors: string[] }>(parentIds.map((id) => [id, { rows: [], cursors: [], hasNextPage: false }]));
  for (const row of rows) {
    const page = pages.get(row.__parent as string)!;
    if (page.rows.length === query.first) {
      page.hasNextPage = true;
      continue;
    }
    page.rows.push(row);
    if (!cursors) continue;
    const keys = query.sort.map((_, i) => String(row[`__k${i}`]));
    page.cursors.push(encodeCursor(query.workspaceId, listIdentity(query, row.__parent as string), keys));
  }
  return pages;
}
