import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLSchema } from 'graphql';
import type { DestinationStream, Logger } from 'pino';
import { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { Config } from './config';
import { Context, ContextDeps, createContext } from './context';
import { bearerToken } from './infra/auth/token';
import { createDataSource, migrate } from './infra/db/data-source';
import { openEmbeddedDatabase } from './infra/db/embedded';
import { StallDetector } from './features/health/stall-detector';
import { Realtime } from './features/realtime/realtime';
import { ReportFolder } from './features/reports/report-folder';
import { serveWebSocket } from './features/realtime/ws/ws-server';
import { createErrorFormatter } from './infra/errors/format-error';
import { keepIdleConnections, takeRequests } from './infra/http/bind-port';
import { healthRoutes } from './infra/http/health';
import { sqlAnswerer, sqlAnswersPlugin } from './infra/sql-answers/sql-answers.plugin';
import { KnownOperations } from './infra/http/known-operations';
import { SQL_ANSWERS } from './sql-answers';
import { CompiledExecution, compiledGateway } from './infra/graphql/compiled-execution';
import { idempotencyPlugin } from './features/idempotency/idempotency.plugin';
import { IdempotencyService } from './features/idempotency/idempotency.service';
import { unavailableAs503 } from './infra/http/database-unavailable';
import { graphqlDoor } from './infra/http/graphql-door';
import { httpGuards } from './infra/http/http-guards';
import { webSocketGuards } from './infra/http/ws-guards';
import { SharedLimits } from './infra/http/rate-limit';
import { createLogger } from './infra/logger';
import { createObservability, Observability } from './infra/observability';
import { webRoutes } from './web-routes';
import { createSchema } from './schema';
import { createServices, Services } from './services';
import { dataSourceDb, poolDb } from './features/webhooks/webhook-db';
import { WebhookWorker } from './features/webhooks/webhook-worker';

export interface App {
  config: Config;
  dataSource: DataSource;
  services: Services;
  schema: GraphQLSchema;
  logger: Logger;
  /** Metrics, request logging and WebSocket instrumentation (realtime code updates its gauges). */
  observability: Observability;
  httpServer: Server;
  /** Live delivery: the event log dispatcher and the metrics broadcaster of this instance. */
  realtime: Realtime;
  /** Webhook delivery of this instance: feeds the queues from the event log and sends. */
  webhooks: WebhookWorker;
  /** Writes the STALLED events of deals that cross their stage's rotting threshold. */
  stallDetector: StallDetector;
  /** Listens on config.host:config.port (port 0: any free port); resolves to the /graphql URL. */
  start(): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, closes sockets and the database. */
  stop(): Promise<void>;
}

const MAX_WS_PAYLOAD = 100 * 1024;

/** Seams for tests and tools; production passes none. */
export interface AppHooks {
  onQuery?: (sql: string, parameters?: unknown[]) => void;
  /** A server main.ts bound to the port before anything was opened; start() hands it the requests. */
  httpServer?: Server;
  /** Told each step of a start that takes time (opening the database, migrations), for the console. */
  progress?: (step: string) => void;
  /** Where the log goes instead of stdout (a test reads what the instance said). */
  logDestination?: DestinationStream;
}

async function openDataSource(config: Config, hooks: AppHooks): Promise<DataSource> {
  const settings = { poolSize: config.poolSize, statementTimeoutMs: config.statementTimeoutMs, onQuery: hooks.onQuery };
  const progress = hooks.progress ?? (() => undefined);
  if (!config.databaseUrl) progress(`opening the embedded database in ${config.dataDir} (the first start creates it)`);
  const dataSource = config.databaseUrl
    ? createDataSource({ ...settings, url: config.databaseUrl })
    : createDataSource({ ...settings, embedded: await openEmbeddedDatabase(config.dataDir) });
  await dataSource.initialize();
  if (config.migrate) await migrate(dataSource, progress);
  return dataSource;
}

/** The database's name: what keeps deployments apart on a shared Redis or NATS. */
function databaseName(config: Config): string {
  return config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1)) || 'postgres' : 'embedded';
}

/** The composition root: database, services, schema, and HTTP and WebSocket on one server. */
export async function createApp(config: Config, hooks: AppHooks = {}): Promise<App> {
  const logger = createLogger(config.logLevel, hooks.logDestination);
  const dataSource = await openDataSource(config, hooks);
  const services = createServices(dataSource, {
    reportTimeoutMs: config.reportTimeoutMs, allowPrivateWebhooks: config.webhooks.allowPrivate,
  });
  const schema = await createSchema();
  const observability = createObservability(logger, dataSource);
  const formatError = createErrorFormatter(logger);
  const execution = new CompiledExecution(schema);
  const realtime = new Realtime({
    ...config.realtime, dataSource, databaseUrl: config.databaseUrl, services, logger,
    onLogRead: () => observability.metrics.eventLogReads.inc(),
    onReplayRead: () => observability.metrics.eventLogReads.inc({ purpose: 'replay' }),
    onStartRead: () => observability.metrics.eventLogReads.inc({ purpose: 'start' }),
    onDelivered: (count, ages) => {
      observability.metrics.eventsDispatched.inc(count);
      for (const age of ages) observability.metrics.eventLag.observe(age);
    },
  });
  await realtime.start();
  // With NATS, the deployment's upkeep runs on the event relay alone: the database's background
  // work stays the same whatever the number of instances.
  const upkeepHere = () => realtime.upkeepHere;
  const webhooks = new WebhookWorker({
    db: config.databaseUrl ? poolDb(config.databaseUrl, Math.min(config.webhooks.concurrency, 8) + 1) : dataSourceDb(dataSource),
    config: config.webhooks, logger, retentionDays: config.realtime.retentionDays, upkeepHere,
    observer: { attempted(result, ageSeconds) {
      observability.metrics.webhookAttempts.inc({ result });
      if (ageSeconds !== undefined) observability.metrics.webhookLag.observe(ageSeconds);
    } },
  });
  await webhooks.start();
  const reportFolder = new ReportFolder(dataSource, logger, config.reportFoldIntervalMs, upkeepHere);
  reportFolder.start();
  const afterCommit = () => {
    realtime.afterCommit();
    webhooks.wake();
  };
  const stallDetector = new StallDetector(dataSource, logger, config.stallCheckIntervalMs, afterCommit, upkeepHere);
  stallDetector.start();
  const deps: ContextDeps = { dataSource, services, afterCommit, deliveredSeq: () => realtime.deliveredSeq() };

  const app = express();
  // The request listener is added once Apollo has started (below): nothing listens before start().
  const httpServer = hooks.httpServer ?? createServer();
  keepIdleConnections(httpServer);
  const limits = new SharedLimits(config.redisUrl, databaseName(config), logger);
  const wsGuards = webSocketGuards(config.security, { schema, production: config.production }, limits);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_WS_PAYLOAD, verifyClient: wsGuards.verifyClient });
  observability.instrumentSockets(wsServer);
  const wsHandle = serveWebSocket({
    wsServer, schema, deps, realtime, logger, jwtSecret: config.jwtSecret, formatError, execution,
    maxOperationsPerSocket: config.realtime.maxOperationsPerSocket, validate: wsGuards.validate,
    wrap: (options) => observability.observeOperations(wsGuards.wrap(options)),
  });

  const guards = httpGuards(config.security, config, limits);
  const answerFromSql = sqlAnswerer<Context>(SQL_ANSWERS, formatError, (document, { operation, inputs }, contextValue) =>
    execution.execute({ document, operationName: operation.name?.value, variables: inputs, contextValue }));
  const known = new KnownOperations<Context>({
    schema, answer: answerFromSql, execute: (request) => execution.execute(request), formatError, finished: observability.operationFinished,
  });
  const apollo = new ApolloServer<Context>({
    // The schema's resolvers, compiled per document (graphql-jit): see infra/graphql/compiled-execution.ts.
    gateway: compiledGateway(schema, execution),
    ...guards.apolloOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM: it drains HTTP and WebSocket, then closes the realtime session and the pool.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [
      observability.apolloPlugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No field sets cache hints; left on, it wraps every resolver of every request (willResolveField).
      ApolloServerPluginCacheControlDisabled(),
      // Not a federation subgraph: left implicit, it still starts (and ends) a listener per request.
      ApolloServerPluginInlineTraceDisabled(),
      ...guards.plugins,
      idempotencyPlugin(new IdempotencyService(dataSource)),
      // After the idempotency plugin, whose replays come first.
      sqlAnswersPlugin(answerFromSql),
      known.plugin,
      { async serverWillStart() { return { async drainServer() { await wsHandle.dispose(); } }; } },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(observability.requestLogging);
  app.use(healthRoutes(dataSource, () => ({ limits: limits.scope })), observability.routes);
  app.use('/graphql', guards.cors);
  app.use(webRoutes(config));
  const context = unavailableAs503(async (req: IncomingMessage) => createContext(deps, bearerToken(req.headers.authorization), config.jwtSecret));
  app.use('/graphql', ...guards.middleware, expressMiddleware(apollo, { context: ({ req }) => context(req) }));
  // JSON POSTs to /graphql (nearly all traffic) skip express; the same guards run, in the same order.
  const onRequest = graphqlDoor({
    apollo, context, before: [observability.requestLogging, guards.cors, guards.rateLimit], maxBodyBytes: guards.maxBodyBytes, logger, known,
  }, app);

  return {
    config, dataSource, services, schema, logger, observability, httpServer, realtime, stallDetector, webhooks,
    start: () => new Promise((resolve, reject) => {
      const url = () => `http://${config.host}:${(httpServer.address() as AddressInfo).port}/graphql`;
      // A server bound early answered "starting" until now.
      takeRequests(httpServer, onRequest);
      if (httpServer.listening) return resolve(url());
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve(url()));
    }),
    async stop() {
      await apollo.stop();
      await realtime.stop();
      await webhooks.stop();
      await reportFolder.stop();
      await stallDetector.stop();
      await dataSource.destroy();
      await limits.close();
    },
  };
}
