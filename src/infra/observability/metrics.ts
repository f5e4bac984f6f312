import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A pool that can report how busy it is (node-postgres' `Pool` can). */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The service's Prometheus metrics, on a registry of its own: two apps in one process (as in
 * tests) never share counters. Realtime code updates the socket, subscription and event
 * figures through this object.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Seconds per GraphQL operation, by operation name, type and outcome (`ok` or `error`). */
  readonly requestDuration: Histogram<'operation' | 'type' | 'outcome'>;
  /** HTTP operations served as known operations, without Apollo's request pipeline (infra/http/known-operations.ts). */
  readonly knownOperations: Counter;
  /** GraphQL errors sent to clients, by `extensions.code`. */
  readonly errors: Counter<'code'>;
  /** Open WebSocket connections. */
  readonly activeSockets: Gauge;
  /** Running subscriptions, over every socket. */
  readonly activeSubscriptions: Gauge;
  /** Deal events handed to subscribers (one per event and subscriber). */
  readonly eventsDispatched: Counter;
  /** Seconds from an event's commit to its dispatch. */
  readonly eventLag: Histogram;
  /** Webhook delivery attempts by result: `delivered`, `retrying` (another attempt follows) or `failed` (the last). */
  readonly webhookAttempts: Counter<'result'>;
  /** Seconds from an event being committed to its delivery to a webhook (a 2xx answer). */
  readonly webhookLag: Histogram;
  /**
   * Statements this instance ran on the event log: for delivery (the series without a label;
   * with NATS only the relay's grows), for `after` replays (`purpose="replay"`; with NATS
   * only those the stream could not serve), and with NATS for the head a subscription without
   * `after` starts past (`purpose="start"`, one per burst of subscriptions).
   */
  readonly eventLogReads: Counter<'purpose'>;
  /** The label for an operation name: client-chosen names are bounded so the series stay few. */
  operationLabel(name: string | null | undefined): string;
}

const MAX_OPERATION_LABELS = 200;

/** Every series exists from the start, so that a scrape before the first read sees 0, not nothing. */
function eventLogReads(registers: Registry[]): Counter<'purpose'> {
  const counter = new Counter({
    name: 'dealstream_event_log_reads_total', labelNames: ['purpose'] as const, registers,
    help: 'Statements run on the event log: for delivery (no label), replays (purpose="replay") and, with NATS, subscription starts (purpose="start")',
  });
  counter.inc(0);
  counter.inc({ purpose: 'replay' }, 0);
  counter.inc({ purpose: 'start' }, 0);
  return counter;
}
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Builds the metrics; `pool`, when given, is read at each scrape for database pool usage. */
export function createMetrics(pool?: () => PoolStats | undefined): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'dealstream_' });

  const poolGauge = (name: string, help: string, read: (stats: PoolStats) => number) => new Gauge({
    name, help, registers,
    collect() {
      const stats = pool?.();
      if (stats) this.set(read(stats));
    },
  });
  poolGauge('dealstream_db_pool_connections', 'Database connections open in the pool', (s) => s.totalCount);
  poolGauge('dealstream_db_pool_idle', 'Database connections idle in the pool', (s) => s.idleCount);
  poolGauge('dealstream_db_pool_waiting', 'Queries waiting for a database connection', (s) => s.waitingCount);

  const seen = new Set<string>();
  return {
    registry,
    requestDuration: new Histogram({
      name: 'dealstream_graphql_request_duration_seconds',
      help: 'Duration of GraphQL operations, by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    knownOperations: new Counter({
      name: 'dealstream_graphql_known_operations_total', registers,
      help: 'HTTP operations served as known operations, without Apollo\'s request pipeline',
    }),
    errors: new Counter({ name: 'dealstream_graphql_errors_total', help: 'GraphQL errors sent, by code', labelNames: ['code'] as const, registers }),
    activeSockets: new Gauge({ name: 'dealstream_ws_active_sockets', help: 'Open WebSocket connections', registers }),
    activeSubscriptions: new Gauge({ name: 'dealstream_ws_active_subscriptions', help: 'Running GraphQL subscriptions', registers }),
    eventsDispatched: new Counter({ name: 'dealstream_deal_events_dispatched_total', help: 'Deal events delivered to subscribers', registers }),
    eventLogReads: eventLogReads(registers),
    eventLag: new Histogram({
      name: 'dealstream_deal_event_lag_seconds',
      help: 'Seconds from a deal event being committed to its dispatch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookAttempts: new Counter({
      name: 'dealstream_webhook_attempts_total',
      help: 'Webhook delivery attempts, by result: delivered, retrying or failed (the last attempt)',
      labelNames: ['result'] as const,
      registers,
    }),
    webhookLag: new Histogram({
      name: 'dealstream_webhook_delivery_lag_seconds',
      help: 'Seconds from a deal event being committed to its delivery to a webhook',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    operationLabel(name) {
      if (!name) return 'anonymous';
      if (!OPERATION_NAME.test(name)) return 'other';
      if (seen.has(name)) return name;
      if (seen.size >= MAX_OPERATION_LABELS) return 'other';
      seen.add(name);
      return name;
    },
  };
}
