import { EntityManager } from 'typeorm';
import { queryReport } from '../reports/report-timeout';
import { FlowService } from './flow.service';
import { SnapshotService } from './snapshot.service';

/** Reads of the pipeline over time; each statement runs under the report time limit (`queryReport`). */
export class HistoryService {
  readonly snapshots: SnapshotService;
  readonly flows: FlowService;

  constructor(timeoutMs: number) {
    const run: HistoryQuery = <R>(em: EntityManager, { sql, params }: Statement) => queryReport<R>(em, timeoutMs, sql, params);
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
