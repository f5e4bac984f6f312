import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createLoaders } from '../../loaders';
import type { Services } from '../../services';
import { DateRange, PipelineMetrics } from '../reports/metrics.types';
import { Viewer } from '../workspaces/viewer';
import { EventDispatcher } from './log/event-dispatcher';
import { DealEventStream } from './subscriptions/event-stream';
import { LatestValue } from './subscriptions/latest-value';
import { SqlRunner } from './log/event-log';
import { LogSession } from './log/log-session';
import { EventRetention } from './log/retention';
import { MetricsBroadcaster } from './subscriptions/metrics-broadcaster';
import { Connection } from './ws/subscription-context';

export interface RealtimeOptions {
  dataSource: DataSource;
  /** PostgreSQL: wake-ups travel by LISTEN/NOTIFY between instances. Absent (embedded): in-process only. */
  databaseUrl?: string;
  services: Services;
  logger: Logger;
  /** How often the log is read without a hint. Default 250 ms (PostgreSQL), 500 ms (embedded). */
  pollMs?: number;
  /** Live events held per subscriber before it is cut off. Default 10,000. */
  maxQueue?: number;
  /** Days an event is kept in the log. Default 30. */
  retentionDays?: number;
  /** Called per tick with the number of events handed to subscribers and their age in seconds. */
  onDelivered?: (deliveries: number, ageSeconds: number[]) => void;
}

/**
 * The live side of the API, one per app instance: the dispatcher that reads the event log,
 * the metrics broadcaster it feeds, and the streams subscriptions iterate.
 */
export class Realtime {
  readonly dispatcher: EventDispatcher;
  readonly metrics: MetricsBroadcaster<DateRange, PipelineMetrics>;
  readonly retention: EventRetention;
  private readonly session?: LogSession;
  private readonly maxQueue: number;

  constructor(private readonly options: RealtimeOptions) {
    const { dataSource, databaseUrl, services, logger } = options;
    this.maxQueue = options.maxQueue ?? 10_000;
    // Embedded PGlite has one serial session and one process: no LISTEN, reads go through
    // the app's pool, and commits wake the dispatcher directly.
    this.session = databaseUrl ? new LogSession(databaseUrl, () => this.dispatcher.committed(), logger) : undefined;
    this.metrics = new MetricsBroadcaster(
      (viewer, pipelineId, range) => services.reports.pipelineMetrics(dataSource.manager, viewer, pipelineId, range),
      logger,
    );
    const run: SqlRunner = this.session?.run ?? ((sql, params) => dataSource.query(sql, params));
    this.retention = new EventRetention(run, options.retentionDays ?? 30, logger);
    this.dispatcher = new EventDispatcher({
      run,
      loadersFor: (viewer) => createLoaders(dataSource.manager, viewer),
      logger,
      pollMs: options.pollMs ?? (databaseUrl ? 250 : 500),
      afterTick: (touched) => this.metrics.changed(touched),
      onDelivered: options.onDelivered,
      othersFollow: () => this.metrics.channelCount > 0,
    });
  }

  async start(): Promise<void> {
    await this.dispatcher.start();
    this.dispatcher.wake();
    this.retention.start();
  }

  /** Fresh loaders; one function for every stream (thousands of subscriptions hold it). */
  private readonly loadersFor = (viewer: Viewer) => createLoaders(this.options.dataSource.manager, viewer);

  /** After a write commits: wake this instance now, and hint the others. */
  readonly afterCommit = (): void => {
    this.dispatcher.committed();
    this.session?.notify();
  };

  /** The event stream of one subscription to `dealEvents`, from the log's head as of now. */
  async dealEvents(viewer: Viewer, pipelineId: string, after: bigint | undefined, connection: Connection): Promise<DealEventStream> {
    await this.dispatcher.upToDate();
    return new DealEventStream({
      dispatcher: this.dispatcher,
      db: this.options.dataSource.manager,
      viewer,
      pipelineId,
      after,
      maxQueue: this.maxQueue,
      loadersFor: this.loadersFor,
      connection,
    });
  }

  /** The metrics stream of one subscription to `pipelineMetricsUpdated`. */
  pipelineMetrics(viewer: Viewer, pipelineId: string, range: DateRange | undefined): LatestValue<PipelineMetrics> {
    return this.metrics.subscribe(viewer, pipelineId, range);
  }

  async stop(): Promise<void> {
    await this.retention.stop();
    await this.dispatcher.stop();
    await this.session?.close();
  }
}
