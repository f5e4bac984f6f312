import { ChildProcess, spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamNames } from '../../src/features/realtime/log/jetstream-bus';
import { scratchDatabase } from '../helpers/database';
import { TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

/** The NATS server with JetStream that runs on every machine here (and in CI). */
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A migrated database of its own: its relay lock, its stream and its events are the test's alone. */
export async function natsDatabase(suffix: string): Promise<string> {
  const url = await scratchDatabase(suffix);
  await promisify(execFile)('npx', ['ts-node', '--transpile-only', 'scripts/migrate.ts'], { env: { ...process.env, DATABASE_URL: url } });
  return url;
}

/** Removes the database's JetStream stream, so the shared NATS server keeps nothing of a test run. */
export async function deleteStream(databaseUrl: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  try {
    await (await jetstreamManager(nc)).streams.delete(streamNames(databaseUrl).stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** Removes all but the last `keep` messages of the database's stream, as its limits or an operator's purge would. */
export async function trimStream(databaseUrl: string, keep: number): Promise<void> {
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  try {
    await (await jetstreamManager(nc)).streams.purge(streamNames(databaseUrl).stream, { keep });
  } finally {
    await nc.close();
  }
}

/** Makes the database's stream keep events for `days`, whatever the instances' retention. */
export async function keepStreamFor(databaseUrl: string, days: number): Promise<void> {
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  try {
    await (await jetstreamManager(nc)).streams.update(streamNames(databaseUrl).stream, { max_age: days * 86_400 * 1e9 });
  } finally {
    await nc.close();
  }
}

/** The value of a series on an instance's /metrics: a name, with its labels if it has any. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/** Resolves once `check` holds (polled); fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An instance in a process of its own (so that it can be killed with SIGKILL), answering on `url`. */
export async function spawnInstance(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    env: {
      ...process.env, JWT_SECRET: TEST_JWT_SECRET, PORT: String(port), MIGRATE: 'false', NODE_ENV: 'test',
      LOG_LEVEL: 'silent', REPORT_FOLD_INTERVAL_MS: '0', ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`the instance exited with ${child.exitCode}`);
    return fetch(url.replace('/graphql', '/readyz')).then((r) => r.ok, () => false);
  }, 90_000, 'the spawned instance');
  return { url, child };
}

/** A TestApp-shaped view of a spawned instance, for the fixtures that take one. */
export const asTestApp = (url: string) => ({ url } as TestApp);
