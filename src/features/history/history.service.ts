import { EntityManager } from 'typeorm';
import { withReportTimeout } from '../reports/report-timeout';
import { FlowService } from './flow.service';
import { SnapshotService } from './snapshot.service';

/** Reads of the pipeline over time; each statement runs under the report time limit. */
export class HistoryService {
  readonly snapshots: SnapshotService;
  readonly flows: FlowService;

  constructor(timeoutMs: number) {
    const run = <T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>) => withReportTimeout(em, timeoutMs, work);
    this.snapshots = new SnapshotService(run);
    this.flows = new FlowService(run);
  }
}
