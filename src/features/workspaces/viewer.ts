import { Role } from './role';

/** The authenticated caller of a request or a subscription. */
export interface Viewer {
  workspaceId: string;
  /** Internal user key, used in foreign keys. */
  userId: string;
  /** The token's `sub`: the id the API shows. */
  externalId: string;
  role: Role;
  /** Token expiry, seconds since the epoch. */
  expiresAt?: number;
}
