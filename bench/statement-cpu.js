'use strict';
/**
 * PostgreSQL CPU per execution of write statements, in alternating rounds: each `--variant`
 * is `<database name>:<sql file>` (a statement as our server sends it, captured from the log
 * with `log_statement = all`), run as a prepared statement from 8 connections on the versus
 * workspace `bench`; the CPU of the probe's own backends is read from /proc.
 *
 *   node statement-cpu.js --kind move --variant dsx:move.sql --variant dsy:move.sql [--executions 3000] [--rounds 8] [--checkpoint]
 *
 * `--kind move`: parameters $1 workspace, $2 actor, $3 deal, $4 target stage, $5 actor, $6 null
 * (an OPEN deal to another OPEN stage of its pipeline; each connection moves 500 deals of its
 * own). `--kind activity`: $1 workspace, $2 actor, $3 deal, $4 'CALL', $5 a subject, $6, $7 null.
 * `--checkpoint` runs CHECKPOINT before each round, so that every round starts with the same
 * full-page writes to make. `--fold` (moves) then folds the round's stage changes into the stage
 * visits (`stage_visits_catch_up`, as the report folder does) and prints that CPU per change too.
 */
const fs = require('node:fs');
const { Client } = require('pg');
const { cpuOf } = require('./lib/cpu');

const CONNECTIONS = 8;
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const kind = option('kind', 'move');
const executions = Number(option('executions', 3000));
const rounds = Number(option('rounds', 8));
const variants = args.flatMap((a, i) => (a === '--variant' ? [args[i + 1]] : []));

async function prepare(spec) {
  const [database, file] = spec.split(':');
  const url = `postgres://postgres@127.0.0.1:5432/${database}`;
  const setup = new Client(url);
  await setup.connect();
  const actor = (await setup.query("SELECT id FROM users WHERE workspace_id = 'bench' AND role = 'ADMIN' LIMIT 1")).rows[0].id;
  const deals = (await setup.query(`SELECT d.id, d.stage_id,
      (SELECT array_agg(s.id) FROM stages s WHERE s.pipeline_id = d.pipeline_id AND s.kind = 'OPEN') AS stages
    FROM deals d WHERE d.workspace_id = 'bench' AND d.status = 'OPEN' AND d.deleted_at IS NULL ORDER BY d.id LIMIT ${CONNECTIONS * 500}`)).rows;
  const clients = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const client = new Client(url);
    await client.connect();
    clients.push(client);
  }
  const pids = await Promise.all(clients.map(async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
  return { spec, sql: fs.readFileSync(file, 'utf8'), setup, actor, deals, clients, pids, n: 0 };
}

function parameters(v, connection) {
  const deal = v.deals[connection * 500 + Math.floor(Math.random() * 500)];
  if (kind === 'activity') return ['bench', v.actor, deal.id, 'CALL', `probe-${v.n}`, null, null];
  const others = deal.stages.filter((s) => s !== deal.stage_id);
  const to = others[Math.floor(Math.random() * others.length)];
  deal.stage_id = to; // each connection moves deals of its own: the next move starts where this one ends
  return ['bench', v.actor, deal.id, to, v.actor, null];
}

async function round(v) {
  if (args.includes('--checkpoint')) await v.setup.query('CHECKPOINT');
  let started = 0;
  const before = v.pids.map(cpuOf);
  await Promise.all(v.clients.map(async (client, connection) => {
    while (started < executions) {
      started++;
      v.n++;
      await client.query({ name: 'probe', text: v.sql, values: parameters(v, connection) });
    }
  }));
  const perExecution = Math.round(v.pids.map(cpuOf).reduce((sum, cpu, i) => sum + cpu - before[i], 0) / executions);
  if (!args.includes('--fold')) return { perExecution };
  const setupPid = (await v.setup.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const cpu0 = cpuOf(setupPid);
  const { rows: [{ taken }] } = await v.setup.query('SELECT stage_visits_catch_up(NULL) AS taken');
  return { perExecution, foldPerChange: Math.round((cpuOf(setupPid) - cpu0) / Math.max(1, taken)) };
}

async function main() {
  const prepared = [];
  for (const spec of variants) prepared.push(await prepare(spec));
  const figures = Object.fromEntries(variants.map((v) => [v, []]));
  const folds = Object.fromEntries(variants.map((v) => [v, []]));
  for (const v of prepared) if (args.includes('--fold')) await v.setup.query('SELECT stage_visits_catch_up(NULL)');
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? prepared : [...prepared].reverse()) {
      const { perExecution, foldPerChange } = await round(v);
      figures[v.spec].push(perExecution);
      if (foldPerChange !== undefined) folds[v.spec].push(foldPerChange);
      console.log(`round ${r + 1} ${v.spec}: ${perExecution} µs of PostgreSQL CPU per execution`
        + (foldPerChange !== undefined ? `, then ${foldPerChange} µs per change to fold` : ''));
    }
  }
  const mean = (us) => Math.round(us.reduce((a, b) => a + b, 0) / us.length);
  for (const [spec, us] of Object.entries(figures)) {
    console.log(`${spec}: mean ${mean(us)} µs (${us.join(', ')})`
      + (folds[spec].length ? `; fold mean ${mean(folds[spec])} µs per change (${folds[spec].join(', ')})` : ''));
  }
  for (const v of prepared) await Promise.all([...v.clients, v.setup].map((c) => c.end()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
