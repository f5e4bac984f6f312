import { EntityManager } from 'typeorm';
import { hydrate } from '../../infra/db/rows';
import { User } from './user.entity';
import { NotFoundError, refusal } from '../../infra/errors/domain-errors';
import { userRef } from '../../infra/validation';
import { Viewer } from './viewer';
import { SqlValue } from '../../infra/db/sql-params';
import { assertCanWriteOwned } from './access';

/**
 * The internal key of the workspace user the API calls `externalId`; null for null,
 * undefined for undefined (an input that leaves the owner as it is).
 */
export async function resolveUserId(em: EntityManager, viewer: Viewer, externalId: string | null | undefined) {
  if (externalId === undefined || externalId === null) return externalId;
  if (externalId === viewer.externalId) return viewer.userId;
  const [row] = await em.query('SELECT id FROM users WHERE workspace_id = $1 AND external_id = $2', [viewer.workspaceId, userRef(externalId, 'input.ownerId')]);
  if (!row) throw new NotFoundError('user', externalId);
  return row.id as string;
}

/**
 * SQL for the internal key of the user `externalId` names (both parameter placeholders).
 * It refers to no outer row, so PostgreSQL runs it once per statement (an InitPlan) and
 * can then walk an index on `owner_id`; a subquery that read the outer row's
 * `workspace_id` ran once per candidate row instead.
 */
export const userIdSql = (workspace: string, externalId: string) =>
  `(SELECT u.id FROM users u WHERE u.workspace_id = ${workspace} AND u.external_id = ${externalId})`;

/**
 * A new owner for a write's own statement to find by external id (`userIdSql`), null there when
 * nobody has that id: no look-up before the write. Only where the viewer may hand a record to
 * anyone; undefined for nobody, the viewer, a rep's choice or a malformed id, which are looked up and checked
 * first (`resolveUserId`, `assertCanWriteOwned`).
 */
export function ownerFoundInStatement(viewer: Viewer, externalId: string | null): SqlValue | undefined {
  if (externalId === null || externalId === viewer.externalId) return undefined;
  if (refusal(() => assertCanWriteOwned(viewer, `not ${viewer.userId}`, 'record'))) return undefined;
  if (refusal(() => userRef(externalId, 'input.ownerId'))) return undefined; // the look-up says why
  return new SqlValue((params) => userIdSql(params.add(viewer.workspaceId), params.add(externalId)));
}

/**
 * The workspace's users by name in code-point order (the "C" collation compares UTF-8 bytes,
 * which order as code points do), then by id; users without a name last.
 */
export async function listUsers(em: EntityManager, viewer: Viewer): Promise<User[]> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT * FROM users WHERE workspace_id = $1
     ORDER BY name IS NULL, name COLLATE "C", external_id COLLATE "C"`,
    [viewer.workspaceId],
  );
  return rows.map((row) => hydrate(em, User, row));
}
