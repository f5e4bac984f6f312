import 'reflect-metadata';
import { App, createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { startDemoActivity } from './demo/demo-activity';
import { demoToken, ensureDemoWorkspace } from './demo/demo-workspace';
import { Role } from './features/workspaces/role';

/** What a person starting the service needs: where it is, what to open, and tokens to try it with. */
function printWelcome(app: App, url: string): void {
  const base = url.replace(/\/graphql$/, '');
  const lines = [
    '',
    `Dealstream is running${app.config.databaseUrl ? '' : ` on the embedded database (${app.config.dataDir})`}.`,
    `  GraphQL (HTTP and WebSocket): ${url}`,
  ];
  if (app.config.explorer) lines.push(`  Explorer (GraphiQL):          ${url}  (open it in a browser)`);
  if (app.config.seedDemo) {
    lines.push(`  Live wallboard:               ${base}/wallboard${app.config.demoActivity ? '  (the demo team moves a deal every few seconds)' : ''}`);
    lines.push('', '  Demo workspace tokens (send as "Authorization: Bearer <token>"):');
    for (const role of Object.values(Role)) lines.push(`    ${role.padEnd(8)} ${demoToken(app, role)}`);
    lines.push('', '  Another token: npm run token -- --role ANALYST');
  }
  lines.push(`  Health: ${base}/healthz  Ready: ${base}/readyz  Metrics: ${base}/metrics`, '');
  console.log(lines.join('\n'));
}

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  if (config.seedDemo) await ensureDemoWorkspace(app);
  const url = await app.start();
  app.logger.info({ url }, 'Dealstream is listening');
  const stopDemo = config.seedDemo && config.demoActivity ? startDemoActivity(app) : async () => undefined;
  printWelcome(app, url);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // A request that never ends must not keep the process alive for ever.
    const deadline = setTimeout(() => {
      app.logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    try {
      await stopDemo();
      await app.stop();
      app.logger.info('stopped');
      process.exit(0);
    } catch (err) {
      app.logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
