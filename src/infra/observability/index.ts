import { Router } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '../db/typeorm-pool.adapter';
import { FinishedOperation, observabilityPlugin, operationLogger } from './graphql-plugin';
import { requestLogging } from './http-log';
import { createMetrics, Metrics, PoolStats } from './metrics';
import { instrumentSockets, observeOperations } from './ws-observer';

export { Metrics } from './metrics';

/** What the composition root wires in: HTTP middleware, `/metrics`, an Apollo plugin and WebSocket hooks. */
export interface Observability {
  metrics: Metrics;
  /** Request ids and one log line per HTTP request; mount it first. */
  requestLogging: ReturnType<typeof requestLogging>;
  /** `GET /metrics` in the Prometheus text format. */
  routes: Router;
  apolloPlugin: ReturnType<typeof observabilityPlugin>;
  /** Logs and counts an HTTP operation answered outside Apollo's pipeline, as the plugin does for the rest. */
  operationFinished: (operation: FinishedOperation) => void;
  instrumentSockets: (wsServer: Parameters<typeof instrumentSockets>[0]) => void;
  observeOperations: <O extends Parameters<typeof observeOperations>[0]>(options: O) => O;
}

/** The node-postgres pool behind a TypeORM data source; PGlite's pool of one has none to report. */
function poolOf(dataSource: DataSource): () => PoolStats | undefined {
  return () => pgPoolOf(dataSource);
}

/** Builds the app's observability: one metrics registry, the request logger, the Apollo plugin and the WebSocket hooks. */
export function createObservability(logger: Logger, dataSource: DataSource): Observability {
  const metrics = createMetrics(poolOf(dataSource));
  const connectionIds = new WeakMap<object, string>();
  const routes = Router();
  routes.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  const operationFinished = operationLogger(logger, metrics);
  return {
    metrics,
    requestLogging: requestLogging(logger),
    routes,
    apolloPlugin: observabilityPlugin(operationFinished),
    operationFinished,
    instrumentSockets: (wsServer) => instrumentSockets(wsServer, logger, metrics, connectionIds),
    observeOperations: (options) => observeOperations(options, logger, metrics, connectionIds),
  };
}
