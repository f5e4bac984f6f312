import { signToken } from '../infra/auth/token';
import { Role } from '../features/workspaces/role';

/** The id of the demo workspace created on the first start of the embedded database. */
export const DEMO_WORKSPACE = 'demo';

/** How long a demo token is good for: a day of trying things, then `npm run token` gives another. */
export const DEMO_TOKEN_LIFETIME = '24h';

/** A token of the demo workspace's user for `role` (one user per role), signed with `secret`; it expires. */
export function demoTokenFor(secret: string, role: Role = Role.ADMIN): string {
  const sub = `demo-${role.toLowerCase()}`;
  const name = { ADMIN: 'Ada Admin', MANAGER: 'Morgan Manager', REP: 'Riley Rep', ANALYST: 'Alex Analyst' }[role];
  return signToken({ sub, wid: DEMO_WORKSPACE, role, name }, secret, DEMO_TOKEN_LIFETIME);
}
