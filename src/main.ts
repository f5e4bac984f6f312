import 'reflect-metadata';
import { Config, ConfigError, loadConfig } from './config';
import { DataDirLockedError, EmbeddedOpenError, lockDataDir } from './infra/db/data-dir-lock';
import { bindPort, PortUnavailableError } from './infra/http/bind-port';
import type { Running, startServer as StartServer } from './start';

/** One plain line per step of the start, from the first second, before the JSON logs begin. */
function progress(step: string): void {
  process.stdout.write(`Dealstream: ${step}…\n`);
}

/** A refusal at start: one line on stderr naming what to change, exit code 1. */
function refuse(message: string): never {
  process.stderr.write(`Dealstream cannot start: ${message}\n`);
  process.exit(1);
}

const REFUSALS = [ConfigError, PortUnavailableError, DataDirLockedError, EmbeddedOpenError];

/** Refusals first (configuration, port, data folder), before anything is opened or written; then the server. */
async function main() {
  const config: Config = loadConfig();
  // Until the server runs, a signal ends the process at once: nothing is serving yet.
  let stopOn: (signal: string) => void = () => process.exit(0);
  process.on('SIGTERM', () => stopOn('SIGTERM'));
  process.on('SIGINT', () => stopOn('SIGINT'));
  const httpServer = await bindPort(config.host, config.port);
  if (!config.databaseUrl) lockDataDir(config.dataDir);
  progress('loading the server');
  // Loaded after the refusals: its modules take seconds to load, a refusal need not wait for them.
  const { startServer } = require('./start') as { startServer: typeof StartServer };
  const running: Running = await startServer(config, httpServer, progress);

  let stopping = false;
  stopOn = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { logger } = running.app;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // A request that never ends must not keep the process alive for ever.
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    running.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    }, (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
}

main().catch((err) => {
  if (REFUSALS.some((kind) => err instanceof kind)) refuse(err.message);
  console.error(err);
  process.exit(1);
});
