import { EntityManager } from 'typeorm';
import { withReportTimeout } from '../reports/report-timeout';
import { FlowService } from './flow.service';
import { SnapshotService } from './snapshot.service';
import type { HistoryRead } from './history-reads';

/**
 * Reads of the pipeline over time; each statement runs under the report time limit: on `reads`
 * (sessions that carry that limit) when there are some and the caller is in no transaction,
 * else in a transaction that sets it.
 */
export class HistoryService {
  readonly snapshots: SnapshotService;
  readonly flows: FlowService;

  constructor(timeoutMs: number, reads?: HistoryRead) {
    const run: HistoryQuery = <R>(em: EntityManager, { sql, params }: Statement) => (reads && !em.queryRunner?.isTransactionActive
      ? reads(sql, params) as Promise<R[]>
      : withReportTimeout(em, timeoutMs, (tx) => tx.query(sql, params) as Promise<R[]>));
    this.snapshots = new SnapshotService(run);
    this.flows = new FlowService(run);
  }
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Runs a history read for a request (its entity manager) and answers its rows. */
export type HistoryQuery = <R>(em: EntityManager, statement: Statement) => Promise<R[]>;
