import DataLoader from 'dataloader';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { queryPrepared } from '../db/prepared';
import { hydrate } from '../db/rows';

/**
 * Loaders send their statements prepared (queryPrepared): the same few texts run for every
 * request, so each pooled connection parses and plans them once.
 *
 * Rows of `table` by id, within one workspace, in one statement per batch.
 * `extraWhere` narrows further (e.g. leaves deleted rows out).
 */
export function byIdLoader<T extends ObjectLiteral>(
  em: EntityManager, target: EntityTarget<T>, table: string, workspaceId: string, extraWhere = '',
) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await queryPrepared(em,
      `SELECT * FROM ${table} WHERE id = ANY($1::uuid[]) AND workspace_id = $2 ${extraWhere}`,
      [ids, workspaceId],
    );
    const byId = new Map(rows.map((row) => [row.id as string, hydrate(em, target, row)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Lists of rows per parent id, in one statement per batch. The statement takes the parent
 * ids as $1 (uuid[]) and the workspace as $2, and names each row's parent in `parentColumn`;
 * its ORDER BY is the order of every list.
 */
export function groupLoader<T extends ObjectLiteral>(
  em: EntityManager, target: EntityTarget<T>, sql: string, parentColumn: string, workspaceId: string,
) {
  return new DataLoader<string, T[]>(async (parentIds) => {
    const rows = await queryPrepared(em, sql, [parentIds, workspaceId]);
    const groups = new Map<string, T[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) groups.get(row[parentColumn] as string)?.push(hydrate(em, target, row));
    return parentIds.map((id) => groups.get(id)!);
  });
}
