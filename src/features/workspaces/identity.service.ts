import { DataSource } from 'typeorm';
import { Claims } from '../../infra/auth/token';
import { Viewer } from './viewer';

const CACHE_LIMIT = 10_000;

/**
 * Turns verified claims into a Viewer, creating the workspace and the user the first time a
 * token names them and keeping role, name and email as the latest token states them.
 * Known identities are remembered, so a request costs no statement for them.
 */
export class IdentityService {
  private readonly known = new Map<string, string>();
  /** The same, by the claims object the token cache hands out: no key to build on a repeated token. */
  private knownClaims = new WeakMap<Claims, string>();

  constructor(private readonly db: DataSource) {}

  async viewerFor(claims: Claims): Promise<Viewer> {
    let userId = this.knownClaims.get(claims);
    if (!userId) this.knownClaims.set(claims, (userId = await this.userIdFor(claims)));
    return { workspaceId: claims.wid, userId, externalId: claims.sub, role: claims.role, expiresAt: claims.exp };
  }

  private async userIdFor(claims: Claims): Promise<string> {
    const key = JSON.stringify([claims.wid, claims.sub, claims.role, claims.name ?? null, claims.email ?? null]);
    let userId = this.known.get(key);
    if (!userId) {
      userId = await this.provision(claims);
      if (this.known.size >= CACHE_LIMIT) this.known.clear();
      this.known.set(key, userId);
    }
    return userId;
  }

  private async provision(claims: Claims): Promise<string> {
    return this.db.transaction(async (em) => {
      await em.query('INSERT INTO workspaces (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [claims.wid]);
      const [row] = await em.query(
        `INSERT INTO users (workspace_id, external_id, role, name, email) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workspace_id, external_id) DO UPDATE
           SET role = EXCLUDED.role, name = COALESCE(EXCLUDED.name, users.name), email = COALESCE(EXCLUDED.email, users.email)
         RETURNING id`,
        [claims.wid, claims.sub, claims.role, claims.name ?? null, claims.email ?? null],
      );
      return row.id as string;
    });
  }

  /** Forgets remembered identities (after a test wipes the database). */
  forget(): void {
    this.known.clear();
    this.knownClaims = new WeakMap();
  }
}
