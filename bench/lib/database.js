'use strict';
const { execFileSync } = require('node:child_process');
const { Client } = require('pg');
const { ROOT } = require('./servers');

async function withClient(url, work) {
  const client = new Client({ connectionString: url, application_name: 'dealstream-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function npm(args, databaseUrl) {
  execFileSync('npm', ['run', '-s', ...args], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DATABASE_URL: databaseUrl } });
}

/**
 * Creates the benchmark database when missing, migrates it, and fills it with the
 * project's seed script (`npm run seed`) until the workspace holds `deals` deals; a
 * database already seeded is reused as it is, unless `fresh` drops it first.
 */
async function prepareDatabase(databaseUrl, workspace, deals, { fresh = false } = {}) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const adminUrl = Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString();
  await withClient(adminUrl, async (client) => {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  });
  npm(['migrate'], databaseUrl);
  const existing = await withClient(databaseUrl, async (client) => (await client.query(
    'SELECT count(*)::int AS n FROM deals WHERE workspace_id = $1', [workspace])).rows[0].n);
  if (existing < deals) npm(['seed', '--', '--deals', String(deals - existing), '--workspace', workspace], databaseUrl);
  else console.log(`reusing ${name}: workspace "${workspace}" holds ${existing.toLocaleString('en')} deals`);
  // Fresh statistics and visibility map for both servers alike (what autovacuum gets to in time),
  // so index-only scans are possible from the first run.
  await withClient(databaseUrl, (client) => client.query('VACUUM ANALYZE'));
}

/** Ids the scenarios spread their requests over, read from the database. */
async function loadFixture(databaseUrl, workspace) {
  return withClient(databaseUrl, async (client) => {
    const pipelines = (await client.query(
      'SELECT id FROM pipelines WHERE workspace_id = $1 ORDER BY created_at, id', [workspace])).rows.map((r) => r.id);
    const deals = (await client.query(
      `SELECT id FROM deals WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT 1000`, [workspace])).rows.map((r) => r.id);
    const owners = (await client.query(
      `SELECT id, external_id AS "externalId" FROM users WHERE workspace_id = $1 AND external_id LIKE 'owner-%' ORDER BY external_id`,
      [workspace])).rows;
    const leads = (await client.query(
      'SELECT id FROM leads WHERE workspace_id = $1 ORDER BY md5(id::text) LIMIT 1000', [workspace])).rows.map((r) => r.id);
    // Leads a conversion may take: the two servers take every other one.
    const convertible = (await client.query(
      `SELECT id FROM leads WHERE workspace_id = $1 AND status IN ('NEW', 'NURTURING', 'MQL', 'SQL') ORDER BY md5(id::text)`,
      [workspace])).rows.map((r) => r.id);
    return { workspace, pipelines, deals, owners, leads, convertible, moves: await loadMoves(client, pipelines[0], workspace) };
  });
}

/** Open deals of one pipeline with the stage each is in now, its won and open deals, and its OPEN and WON stages. */
async function loadMoves(client, pipelineId, workspace) {
  const openStages = (await client.query(
    `SELECT id FROM stages WHERE pipeline_id = $1 AND kind = 'OPEN' ORDER BY position`, [pipelineId])).rows.map((r) => r.id);
  const deals = (await client.query(
    `SELECT id, stage_id AS "stageId" FROM deals WHERE pipeline_id = $1 AND workspace_id = $2 AND status = 'OPEN'
     AND deleted_at IS NULL ORDER BY id LIMIT 500`, [pipelineId, workspace])).rows;
  const [won] = (await client.query(`SELECT id FROM stages WHERE pipeline_id = $1 AND kind = 'WON'`, [pipelineId])).rows;
  // Won and open alike, so that winning and reopening them by turns never runs out of deals.
  const winnable = (await client.query(
    `SELECT id, stage_id AS "stageId", status = 'WON' AS won FROM deals WHERE pipeline_id = $1 AND workspace_id = $2
     AND status IN ('OPEN', 'WON') AND deleted_at IS NULL ORDER BY id LIMIT 500`, [pipelineId, workspace])).rows;
  const [lost] = (await client.query(`SELECT id FROM stages WHERE pipeline_id = $1 AND kind = 'LOST'`, [pipelineId])).rows;
  // Open and lost alike, other deals than the winnable ones, for losing and reopening by turns.
  const losable = (await client.query(
    `SELECT id, stage_id AS "stageId", status = 'LOST' AS lost FROM deals WHERE pipeline_id = $1 AND workspace_id = $2
     AND status IN ('OPEN', 'LOST') AND deleted_at IS NULL ORDER BY id DESC LIMIT 500`, [pipelineId, workspace])).rows;
  return { openStages, wonStage: won.id, lostStage: lost.id, deals, winnable, losable };
}

async function refreshMoves(databaseUrl, fixture) {
  fixture.moves = await withClient(databaseUrl, (client) => loadMoves(client, fixture.pipelines[0], fixture.workspace));
}

/**
 * Removes what a creating scenario made (deals, leads and activities named `bench-created-…`,
 * with the deals' events and history), so the data set stays as seeded.
 */
async function removeCreated(databaseUrl) {
  await withClient(databaseUrl, async (client) => {
    await client.query(`WITH gone AS (SELECT id FROM deals WHERE title LIKE 'bench-created-%'),
      h AS (DELETE FROM deal_history WHERE deal_id IN (SELECT id FROM gone)),
      e AS (DELETE FROM deal_events WHERE deal_id IN (SELECT id FROM gone))
      DELETE FROM deals WHERE id IN (SELECT id FROM gone)`);
    await client.query("DELETE FROM leads WHERE name LIKE 'bench-created-%'");
    // Leads converted into the deals just removed: qualified again, ready for the next run.
    await client.query(`UPDATE leads SET status = 'SQL', converted_at = NULL
      WHERE status = 'CONVERTED' AND NOT EXISTS (SELECT FROM deals d WHERE d.lead_id = leads.id)`);
    await client.query("DELETE FROM activities WHERE subject LIKE 'bench-created-%'");
  });
}

module.exports = { prepareDatabase, loadFixture, refreshMoves, removeCreated };
