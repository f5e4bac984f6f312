import { DataSource, EntityManager } from 'typeorm';
import { BadInputError, ConflictError } from '../../infra/errors/domain-errors';

/** How long a key is remembered (Stripe's window). */
export const KEY_LIFETIME_HOURS = 24;
const LIVE = `created_at > now() - interval '${KEY_LIFETIME_HOURS} hours'`;

/** Which user, which key, which request. */
export interface KeyClaim {
  workspaceId: string;
  userId: string;
  key: string;
  fingerprint: string;
  operation: string;
}

/** What a retry finds: nothing (go ahead), or the first answer to replay. */
export type Recorded = { kind: 'new' } | { kind: 'replay'; response: Record<string, unknown> };

/**
 * Stripe's model for creates: the first request with a key claims it in its own transaction
 * and its answer is kept; a retry with the same request gets that answer and writes nothing;
 * the same key with another request is BAD_USER_INPUT; a request racing the first is CONFLICT.
 */
export class IdempotencyService {
  constructor(private readonly db: DataSource) {}

  /** Looks a key up before anything runs. */
  async lookup(claim: KeyClaim): Promise<Recorded> {
    const rows: { fingerprint: string; response: Record<string, unknown> | null }[] = await this.db.query(
      `SELECT fingerprint, response FROM idempotency_keys WHERE workspace_id = $1 AND user_id = $2 AND key = $3 AND ${LIVE}`,
      [claim.workspaceId, claim.userId, claim.key],
    );
    const row = rows[0];
    if (!row) return { kind: 'new' };
    if (row.fingerprint !== claim.fingerprint) throw mismatch();
    if (!row.response) throw inProgress();
    return { kind: 'replay', response: row.response };
  }

  /**
   * Claims the key inside the create's transaction (`em`), before the create's own writes. A
   * request racing another with the same key waits on the key's unique index until the other
   * commits, then finds the key taken and fails, rolling its whole transaction back.
   */
  async claim(em: EntityManager, claim: KeyClaim): Promise<void> {
    const rows: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (workspace_id, user_id, key, fingerprint, operation)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, user_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, operation = EXCLUDED.operation, response = NULL, created_at = now()
         WHERE NOT (idempotency_keys.${LIVE})
       RETURNING 1`,
      [claim.workspaceId, claim.userId, claim.key, claim.fingerprint, claim.operation],
    );
    if (rows.length === 0) throw inProgress();
  }

  /** Keeps the first answer, once its transaction has committed. */
  async complete(claim: KeyClaim, response: Record<string, unknown>): Promise<void> {
    await this.db.query(
      'UPDATE idempotency_keys SET response = $4 WHERE workspace_id = $1 AND user_id = $2 AND key = $3 AND fingerprint = $5',
      [claim.workspaceId, claim.userId, claim.key, JSON.stringify(response), claim.fingerprint],
    );
  }

  /** Drops keys past their lifetime; returns how many. */
  async purgeExpired(): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM idempotency_keys WHERE NOT (${LIVE})`);
    return Number(count ?? 0);
  }
}

function mismatch(): BadInputError {
  return new BadInputError('This Idempotency-Key was used for a different request; use a new key for a new request', 'Idempotency-Key');
}

function inProgress(): ConflictError {
  return new ConflictError('A request with this Idempotency-Key is still being answered; retry in a moment');
}
