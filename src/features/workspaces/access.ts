import { ForbiddenError } from '../../infra/errors/domain-errors';
import { Role } from './role';
import { Viewer } from './viewer';

/**
 * The role rules of one place. ADMIN: everything. MANAGER: leads, deals, activities and
 * pipeline set-up. REP: leads, deals and activities it owns or that are unowned. ANALYST:
 * reads only.
 */
export function assertCanSetUpPipelines(viewer: Viewer): void {
  if (viewer.role !== Role.ADMIN && viewer.role !== Role.MANAGER) {
    throw new ForbiddenError('Only admins and managers may change pipelines');
  }
}

/**
 * For a write to a lead, deal or activity owned by `ownerId`: its current owner, and the
 * owner it is given (a rep may only take a record or leave it unowned).
 */
export function assertCanWriteOwned(viewer: Viewer, ownerId: string | null, what: string): void {
  if (viewer.role === Role.ANALYST) throw new ForbiddenError('Analysts may not change anything');
  if (viewer.role === Role.REP && ownerId !== null && ownerId !== viewer.userId) {
    throw new ForbiddenError(`A rep may only change a ${what} it owns or that is unowned`);
  }
}

/** Who owns a new record when the input names nobody: a rep owns what it creates. */
export function defaultOwner(viewer: Viewer): string | null {
  return viewer.role === Role.REP ? viewer.userId : null;
}

/** Webhooks and other workspace-wide set-up: ADMIN only. */
export function assertAdmin(viewer: Viewer): void {
  if (viewer.role !== Role.ADMIN) throw new ForbiddenError('Only admins may do this');
}
