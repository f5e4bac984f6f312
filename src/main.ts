import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { demoToken, ensureDemoWorkspace } from './demo/demo-workspace';

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  if (config.seedDemo) await ensureDemoWorkspace(app);
  const url = await app.start();
  app.logger.info({ url }, 'Dealstream is listening');
  if (!config.databaseUrl) {
    console.log(`\nDealstream is running on the embedded database (${config.dataDir}).`);
    console.log(`  GraphQL (HTTP and WebSocket): ${url}`);
    console.log(`  Demo admin token: ${demoToken(app)}\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
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
