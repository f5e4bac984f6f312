import DataLoader from 'dataloader';
import { GraphQLResolveInfo } from 'graphql';
import { EntityManager } from 'typeorm';
import { hydrate } from '../../infra/db/rows';
import { Selection } from '../../infra/graphql/selection';
import { byIdLoader, groupLoader } from '../../infra/loaders/loader-kit';
import { Page } from '../../infra/pagination/connection.types';
import { countPerParent, fetchPages, toPage } from '../../infra/pagination/keyset';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealListArgs, DealParent, dealListQuery } from './deal.query';
import { StageChange } from './stage-change.entity';

export interface DealPageKey {
  parent: DealParent;
  parentId: string;
  args: DealListArgs;
  /**
   * Whether the query reads `totalCount` (the resolver's look-ahead): then the page's statement
   * counts too. Not part of the cache key: a page loaded without its count counts when asked.
   */
  count?: boolean;
}

/** A deal connection as a resolver answers it: counted in the page's statement when the query reads `totalCount`. */
export function loadDealPage(loaders: { dealPages: DataLoader<DealPageKey, Page<Deal>, string> }, info: GraphQLResolveInfo,
  parent: DealParent, parentId: string, args: DealListArgs): Promise<Page<Deal>> {
  return loaders.dealPages.load({ parent, parentId, args: { ...args }, count: Selection.of(info).has('totalCount') });
}

/** Groups keys that differ only in their parent, so each group is one statement. */
function groupByQuery<K extends DealPageKey>(keys: readonly K[]): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const signature = JSON.stringify([key.parent, key.args]);
    groups.set(signature, [...(groups.get(signature) ?? []), key]);
  }
  return groups;
}

export function createDealLoaders(em: EntityManager, viewer: Viewer) {
  const cacheKeyFn = (key: DealPageKey) => JSON.stringify([key.parent, key.parentId, key.args]);

  const dealCounts = new DataLoader<DealPageKey, number, string>(async (keys) => {
    const results = new Map<string, number>();
    for (const group of groupByQuery(keys).values()) {
      const query = dealListQuery(viewer, group[0].parent, group[0].args);
      const counts = await countPerParent(em, query, group.map((k) => k.parentId));
      for (const key of group) results.set(cacheKeyFn(key), counts.get(key.parentId) ?? 0);
    }
    return keys.map((key) => results.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });

  /**
   * Deal connections of many stages (or pipelines) with the same arguments: one statement,
   * which also counts when any of them reads `totalCount`. Lists with other arguments (aliases)
   * are statements of their own, sent together.
   */
  const dealPages = new DataLoader<DealPageKey, Page<Deal>, string>(async (keys) => {
    const results = new Map<string, Page<Deal> | Error>();
    await Promise.all([...groupByQuery(keys).values()].map(async (group) => {
      const query = dealListQuery(viewer, group[0].parent, group[0].args);
      const count = group.some((key) => key.count);
      // A refused cursor (another list's) fails its own group, not the other lists of the batch.
      const pages = await fetchPages(em, query, group.map((k) => k.parentId), count).catch((err: Error) => err);
      for (const key of group) {
        if (pages instanceof Error) {
          results.set(cacheKeyFn(key), pages);
          continue;
        }
        const raw = pages.get(key.parentId)!;
        if (raw.count !== undefined) dealCounts.prime(key, raw.count);
        results.set(cacheKeyFn(key), toPage(raw, (row) => hydrate(em, Deal, row), query.after, () => dealCounts.load(key)));
      }
    }));
    return keys.map((key) => results.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });

  return {
    deal: byIdLoader(em, Deal, 'deals', viewer.workspaceId, 'AND deleted_at IS NULL'),
    /** Events still name deals that were deleted since. */
    dealIncludingDeleted: byIdLoader(em, Deal, 'deals', viewer.workspaceId),
    dealOfLead: new DataLoader<string, Deal | null>(async (leadIds) => {
      const rows: Record<string, unknown>[] = await em.query(
        'SELECT * FROM deals WHERE lead_id = ANY($1::uuid[]) AND workspace_id = $2 AND deleted_at IS NULL',
        [leadIds, viewer.workspaceId],
      );
      const byLead = new Map(rows.map((row) => [row.lead_id as string, hydrate(em, Deal, row)]));
      return leadIds.map((id) => byLead.get(id) ?? null);
    }),
    historyOfDeal: groupLoader(em, StageChange,
      'SELECT * FROM stage_changes WHERE deal_id = ANY($1::uuid[]) AND workspace_id = $2 ORDER BY changed_at, id',
      'deal_id', viewer.workspaceId),
    dealPages,
    dealCounts,
  };
}
