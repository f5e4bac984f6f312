/**
 * What a user may do in a workspace, as tokens name it. Here because tokens carry it; the
 * schema registers it (features/workspaces/role.ts) and features decide what each may do.
 */
export enum Role {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  REP = 'REP',
  ANALYST = 'ANALYST',
}
