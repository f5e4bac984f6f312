import { EntityManager } from 'typeorm';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { userRef } from '../../infra/validation';
import { Viewer } from './viewer';

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
