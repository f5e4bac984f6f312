import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createLoaders } from '../../loaders';
import type { Services } from '../../services';
import { DateRange, PipelineMetrics } from '../reports/metrics.types';
import { Viewer } from '../workspaces/viewer';
import { EventDispatcher } from './log/event-dispatcher';
import { DealEventStream } from './subscriptions/event-stream';
import { LatestValue } from './subscriptions/latest-value';
import { SqlRunner } from '../../infra/db/sql-runner';
import { LogSession } from './log/log-session';
import { EventRelay } from './log/event-relay';
import { JetStreamBus } from './log/jetstream-bus';
import { logReplay, ReplayReader, streamReplay } from './log/replay-reader';
import { EventRetention } from './log/retention';
import { ANNOUNCE_EVERY_MS, WatchedPipelines } from './log/watched-pipelines';
import { MetricsBroadcaster } from './subscriptions/metrics-broadcaster';
import { metricsFromWork, primeFromWork, relayWork } from './subscriptions/relayed-work';
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
  /** NATS servers (comma-separated): events travel through JetStream, relayed from the log by one instance. */
  natsUrl?: string;
  /** Counts each statement run on the event log for delivery. */
  onLogRead?: () => void;
  /** Counts each statement run on the event log for a replay (`after`). */
  onReplayRead?: () => void;
  /** Counts each read of the log's head for subscriptions starting while fed from JetStream. */
  onStartRead?: () => void;
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
  /** With NATS: relays the log to JetStream while this instance holds the relay lock. */
  relay?: EventRelay;
  private bus?: JetStreamBus;
  /** With NATS: repeats what this instance's subscribers watch, for the relay. */
  private announcer?: NodeJS.Timeout;
  private announcing = false;
  /** Where `after` replays read: the log, or JetStream first when events travel through it. */
  private replay: ReplayReader;
  private readonly session?: LogSession;
  private readonly run: SqlRunner;
  private readonly maxQueue: number;

  constructor(private readonly options: RealtimeOptions) {
    const { dataSource, databaseUrl, services, logger } = options;
    this.maxQueue = options.maxQueue ?? 10_000;
    // Embedded PGlite has one serial session and one process: no LISTEN, reads go through
    // the app's pool, and commits wake the dispatcher directly.
    this.session = databaseUrl ? new LogSession(databaseUrl, () => this.committed(), logger) : undefined;
    this.metrics = new MetricsBroadcaster(
      (viewer, pipelineId, range) => services.reports.pipelineMetrics(dataSource.manager, viewer, pipelineId, range),
      logger,
      metricsFromWork(dataSource.manager),
    );
    const run: SqlRunner = this.session?.run ?? ((sql, params) => dataSource.query(sql, params));
    this.run = run;
    this.replay = logReplay(dataSource.manager, options.onReplayRead);
    this.retention = new EventRetention(run, options.retentionDays ?? 30, logger, () => this.upkeepHere);
    this.dispatcher = new EventDispatcher({
      run,
      onLogRead: options.onLogRead,
      onStartRead: options.onStartRead,
      loadersFor: (viewer) => createLoaders(dataSource.manager, viewer),
      logger,
      pollMs: options.pollMs ?? (databaseUrl ? 250 : 500),
      afterTick: (touched) => this.metrics.changed(touched),
      onDelivered: options.onDelivered,
      othersFollow: () => this.metrics.channelCount > 0,
      prime: primeFromWork(dataSource.manager),
    });
  }

  async start(): Promise<void> {
    const { natsUrl, databaseUrl } = this.options;
    if (natsUrl && databaseUrl) await this.startWithJetStream(natsUrl, databaseUrl);
    else {
      await this.dispatcher.start();
      this.dispatcher.wake();
    }
    this.retention.start();
  }

  /**
   * One relay (whichever instance holds the lock) publishes the log to JetStream; this
   * instance's dispatcher is fed from the stream, starting after its last message.
   */
  private async startWithJetStream(natsUrl: string, databaseUrl: string): Promise<void> {
    const { logger, retentionDays, pollMs, onLogRead, dataSource, services } = this.options;
    const bus = (this.bus = await JetStreamBus.open(natsUrl, databaseUrl, retentionDays ?? 30, logger));
    this.replay = streamReplay(bus.replay, this.replay, logger);
    // The relay works out what delivering an event needs once, for the pipelines the
    // instances announce they watch, so that instances deliver without reading PostgreSQL.
    const watched = new WatchedPipelines();
    bus.hearWatching((watching) => watched.heard(watching));
    // Another instance's commit: the relay reads the log (the others have nothing to do).
    bus.hearLogGrew(() => this.relay?.wake());
    this.announcer = setInterval(() => this.announce(), ANNOUNCE_EVERY_MS);
    this.announcer.unref();
    const prepare = relayWork(dataSource.manager, services, watched, logger);
    this.relay = new EventRelay({
      run: this.run, databaseUrl, bus, logger, pollMs: pollMs ?? 250, onLogRead, prepare, relatedFor: () => watched.eventPipelineIds(),
    });
    this.relay.start();
    // A stream never relayed to is empty until the first relay marks where it starts.
    let last = await bus.last();
    for (let waited = 0; last.streamSeq === 0; waited += 100) {
      if (waited > 30_000) throw new Error(`No relay has started the JetStream stream ${bus.stream} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await bus.last();
    }
    this.dispatcher.startFed(last.eventSeq);
    await bus.follow(last.streamSeq, (rows) => this.dispatcher.receive(rows),
      (update) => this.metrics.relayedUpdate(update.workspace_id, update.pipeline_id, update.work), logger);
  }

  /** A commit here or a hint from another instance: the relay (with NATS) or the dispatcher reads the log. */
  private committed(): void {
    if (this.relay) this.relay.wake();
    else this.dispatcher.committed();
  }

  /**
   * Whether this instance does the deployment's background upkeep (retention, report folding,
   * stall checks): always without NATS, only while it holds the relay lease with NATS.
   */
  get upkeepHere(): boolean {
    return this.relay ? this.relay.leader : true;
  }

  /** Tells the relay what this instance's subscribers watch (with NATS). */
  private announce(): void {
    const events = this.dispatcher.watchedPipelines();
    const metrics = this.metrics.defaultRangePipelines();
    if (events.length + metrics.length > 0) this.bus?.announce({ events, metrics });
  }

  /** A new subscription: announced soon, once for a burst of them (a reconnect storm). */
  private announceSoon(): void {
    if (!this.bus || this.announcing) return;
    this.announcing = true;
    setTimeout(() => {
      this.announcing = false;
      this.announce();
    }, 20).unref();
  }

  /** Fresh loaders; one function for every stream (thousands of subscriptions hold it). */
  private readonly loadersFor = (viewer: Viewer) => createLoaders(this.options.dataSource.manager, viewer);

  /** After a write commits: wake this instance now, and hint the others (the relay, with NATS). */
  readonly afterCommit = (): void => {
    this.committed();
    if (this.bus) this.bus.hintLogGrew();
    else this.session?.notify();
  };

  /**
   * A seq that every event committed before the call lies at or below, or is delivered after
   * (`upToDate`): a subscription `after` it misses nothing committed since the call.
   */
  async deliveredSeq(): Promise<bigint> {
    await this.dispatcher.upToDate();
    return this.dispatcher.position;
  }

  /**
   * The event stream of one subscription to `dealEvents`: after `after`, else after every
   * event committed before the call. Either way the dispatcher first catches up with those
   * events, so that a replay brings them at once rather than at the next poll.
   */
  async dealEvents(viewer: Viewer, pipelineId: string, after: bigint | undefined, connection: Connection): Promise<DealEventStream> {
    await this.dispatcher.upToDate();
    this.announceSoon();
    return new DealEventStream({
      dispatcher: this.dispatcher,
      replay: this.replay,
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
    const stream = this.metrics.subscribe(viewer, pipelineId, range);
    this.announceSoon();
    return stream;
  }

  async stop(): Promise<void> {
    clearInterval(this.announcer);
    await this.retention.stop();
    await this.relay?.stop();
    await this.dispatcher.stop();
    await this.bus?.close();
    await this.session?.close();
  }
}
