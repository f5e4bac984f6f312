import { Server } from 'node:http';
import { App, createApp } from './app';
import { Config } from './config';
import { startDemoActivity } from './demo/demo-activity';
import { demoToken, ensureDemoWorkspace, hasDemoWorkspace } from './demo/demo-workspace';
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
    lines.push('', '  Demo workspace tokens, valid 24 h (send as "Authorization: Bearer <token>"):');
    for (const role of Object.values(Role)) lines.push(`    ${role.padEnd(8)} ${demoToken(app, role)}`);
    lines.push('', '  Another token: npm run token -- --role ANALYST');
  }
  lines.push(`  Health: ${base}/healthz  Ready: ${base}/readyz  Metrics: ${base}/metrics`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A running server, and how to stop it (the demo's activity first, then the app). */
export interface Running {
  app: App;
  stop(): Promise<void>;
}

/**
 * Opens the database (migrating it), seeds the demo when configured, hands `httpServer` (bound
 * already) the requests and prints the welcome, before the first request is taken, so no
 * request log splits it.
 */
export async function startServer(config: Config, httpServer: Server, progress: (step: string) => void): Promise<Running> {
  const app = await createApp(config, { httpServer, progress });
  if (config.seedDemo && !(await hasDemoWorkspace(app))) {
    progress('creating the demo workspace (three pipelines, 300 leads, six months of deals)');
    await ensureDemoWorkspace(app);
  }
  const url = await app.start();
  printWelcome(app, url);
  app.logger.info({ url }, 'Dealstream is listening');
  const stopDemo = config.seedDemo && config.demoActivity ? startDemoActivity(app) : async () => undefined;
  return {
    app,
    async stop() {
      await stopDemo();
      await app.stop();
    },
  };
}
