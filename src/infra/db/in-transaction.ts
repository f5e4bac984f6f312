import { EntityManager } from 'typeorm';

/** Runs `work` in `em`'s transaction, or in a new one when `em` is in none (a write that began as one statement on its own). */
export function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.queryRunner?.isTransactionActive ? work(em) : em.transaction(work);
}
