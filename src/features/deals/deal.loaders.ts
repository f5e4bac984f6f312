import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { hydrate } from '../../infra/db/rows';
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
  const cacheKeyFn = (key: DealPageKey) => JSON.stringify(key);

  const dealCounts = new DataLoader<DealPageKey, number, string>(async (keys) => {
    const results = new Map<string, number>();
    for (const group of groupByQuery(keys).values()) {
      const query = dealListQuery(viewer, group[0].parent, group[0].args);
      const counts = await countPerParent(em, query, group.map((k) => k.parentId));
      for (const key of group) results.set(cacheKeyFn(key), counts.get(key.parentId) ?? 0);
    }
    return keys.map((key) => results.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });

  /** Deal connections of many stages (or pipelines) with the same arguments: one statement. */
  const dealPages = new DataLoader<DealPageKey, Page<Deal>, string>(async (keys) => {
    const results = new Map<string, Page<Deal> | Error>();
    for (const group of groupByQuery(keys).values()) {
      const query = dealListQuery(viewer, group[0].parent, group[0].args);
      // A refused cursor (another list's) fails its own group, not the other lists of the batch.
      const pages = await fetchPages(em, query, group.map((k) => k.parentId)).catch((err: Error) => err);
      for (const key of group) {
        if (pages instanceof Error) {
          results.set(cacheKeyFn(key), pages);
          continue;
        }
        const page = toPage(pages.get(key.parentId)!, (row) => hydrate(em, Deal, row), query.after, () => dealCounts.load(key));
        results.set(cacheKeyFn(key), page);
      }
    }
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
