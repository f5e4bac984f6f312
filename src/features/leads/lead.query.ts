import { SqlParams, likePattern } from '../../infra/db/sql-params';
import { canonicalArgs, pageSize } from '../../infra/pagination/cursor';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { optionalText, userRef } from '../../infra/validation';
import { userIdSql } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { LeadFilter } from './lead.inputs';

/** The keyset query behind `leads`: oldest first, filtered. */
export function leadListQuery(viewer: Viewer, filter: LeadFilter | null | undefined, first?: number | null, after?: string | null): KeysetQuery {
  const f = filter ?? {};
  const search = optionalText(f.search, 'filter.search');
  const campaign = optionalText(f.campaign, 'filter.campaign');
  const ownerId = f.ownerId ? userRef(f.ownerId, 'filter.ownerId') : undefined;
  return {
    table: 'leads',
    parentColumn: 'workspace_id',
    parentType: 'text',
    where: (p: SqlParams) => {
      const where: string[] = [];
      if (f.status) where.push(`t.status = ${p.add(f.status)}`);
      if (f.source) where.push(`t.source = ${p.add(f.source)}`);
      if (campaign) where.push(`t.campaign = ${p.add(campaign)}`);
      if (ownerId) where.push(`t.owner_id = ${userIdSql(p.add(viewer.workspaceId), p.add(ownerId))}`);
      if (search) {
        const pattern = p.add(likePattern(search));
        where.push(`(t.name ILIKE ${pattern} OR t.company ILIKE ${pattern} OR t.email ILIKE ${pattern})`);
      }
      return where;
    },
    sort: [{ sql: 't.created_at', cast: 'timestamptz', descending: false }, { sql: 't.id', cast: 'uuid', descending: false }],
    // Every filter field but the search is an equality with an index of its own.
    onePlanForAllValues: !search,
    list: canonicalArgs({ filter }),
    workspaceId: viewer.workspaceId,
    first: pageSize(first),
    after,
  };
}
