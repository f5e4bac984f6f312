import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { dropScratchDatabase, scratchDatabase } from '../helpers/database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { livePipeline, move, newDeal, sleep } from './realtime-fixtures';

/**
 * Wake-up hints (NOTIFY) are for other instances: an instance alone on its database sends
 * none, and starts sending them as soon as another instance announces itself. A database of
 * its own, so that no other test's app is listening.
 */
let url: string;
let listener: Client;
const heard: number[] = [];
beforeAll(async () => {
  url = await scratchDatabase('wake_hints');
  await promisify(execFile)('npx', ['ts-node', '--transpile-only', 'scripts/migrate.ts'], { env: { ...process.env, DATABASE_URL: url } });
  // Not an instance (another application_name): it only overhears the hints.
  listener = new Client({ connectionString: url, application_name: 'hint-listener' });
  await listener.connect();
  listener.on('notification', (message) => heard.push(message.processId));
  await listener.query('LISTEN deal_events');
}, 180_000);
afterAll(async () => {
  try {
    await listener?.end();
  } finally {
    await dropScratchDatabase(url);
  }
});

test('an instance alone sends no hint; once another announces itself, each commit hints it', async () => {
  const first: TestApp = await startTestApp({ DATABASE_URL: url });
  let second: TestApp | undefined;
  try {
    const { admin, pipeline, stages } = await livePipeline(first);
    const deal = await newDeal(first, admin, pipeline.id);
    await sleep(300);
    heard.length = 0;
    await move(first, admin, deal.id, stages.s2);
    await sleep(300);
    expect(heard).toEqual([]);

    second = await startTestApp({ DATABASE_URL: url });
    for (let waited = 0; heard.length === 0 && waited < 5_000; waited += 20) await sleep(20);
    expect(heard).toHaveLength(1); // the newcomer's announcement
    const announcer = heard[0];
    await move(first, admin, deal.id, stages.s3);
    for (let waited = 0; heard.length === 1 && waited < 5_000; waited += 20) await sleep(20);
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.at(-1)).not.toBe(announcer); // the first instance hinted
  } finally {
    await second?.stop();
    await first.stop();
  }
}, 60_000);
