import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { signToken } from '../src/infra/auth/token';
import { Role } from '../src/features/workspaces/role';

/**
 * The write path's cost, before and after a change: starts the API from two source trees
 * (BEFORE_DIR, e.g. a `git archive` of an older commit with this tree's node_modules linked,
 * and this tree) on the same seeded database, then alternates requests between them, one at a
 * time: `moveDeal` (one OPEN stage on) and `updateDeal` (a new value), each on a deal of its own.
 * Prints p50/p95 per side and the ratio. DATABASE_URL, WORKSPACE (bench), COUNT (300 per side).
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench';
const workspace = process.env.WORKSPACE ?? 'bench';
const count = Number(process.env.COUNT ?? 300);
const secret = 'bench-secret-of-enough-length';
const before = process.env.BEFORE_DIR;

function start(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: url, JWT_SECRET: secret, PORT: String(port), MIGRATE: 'false', LOG_LEVEL: 'silent',
      NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0', TS_NODE_PROJECT: path.join(dir, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (/GraphQL/.test(chunk.toString())) resolve(child); });
    child.on('exit', (code) => reject(new Error(`${dir} exited with ${code}`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  if (!before) throw new Error('BEFORE_DIR names the source tree to compare with');
  const pg = new Client({ connectionString: url });
  await pg.connect();
  const token = signToken({ sub: 'admin', wid: workspace, role: Role.ADMIN, name: 'Admin' }, secret);
  // Open deals below the last OPEN stage, with the stage after theirs: every move is a real one.
  const { rows: deals } = await pg.query(
    `SELECT d.id, n.id AS next FROM deals d JOIN stages s ON s.id = d.stage_id
     JOIN stages n ON n.pipeline_id = s.pipeline_id AND n.position = s.position + 1 AND n.kind = 'OPEN'
     WHERE d.workspace_id = $1 AND d.status = 'OPEN' AND d.deleted_at IS NULL LIMIT $2`, [workspace, count * 4]);
  if (deals.length < count * 4) throw new Error(`need ${count * 4} open deals below the last stage, found ${deals.length}`);
  const servers = [await start(before, 4811), await start(path.resolve(__dirname, '..'), 4812)];
  const call = async (port: number, query: string, variables: object) => {
    const started = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json() as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const MOVE = 'mutation ($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId) { id version stage { id } } }';
  const UPDATE = 'mutation ($id: ID!, $value: Float!) { updateDeal(id: $id, input: { value: $value }) { id version value } }';
  try {
    for (const [name, run] of [
      ['moveDeal', (port: number, i: number) => call(port, MOVE, { id: deals[i].id, stageId: deals[i].next })],
      ['updateDeal', (port: number, i: number) => call(port, UPDATE, { id: deals[i].id, value: 1000 + i })],
    ] as const) {
      const offset = name === 'moveDeal' ? 0 : count * 2;
      for (let i = 0; i < 20; i++) await run(4811 + (i % 2), offset + i); // warm-up
      const samples: [number[], number[]] = [[], []];
      for (let i = 20; i < count * 2; i++) samples[i % 2].push(await run(4811 + (i % 2), offset + i));
      const [a, b] = samples.map((s) => s.sort((x, y) => x - y));
      console.log(`${name.padEnd(10)} before p50 ${percentile(a, 50).toFixed(2)} p95 ${percentile(a, 95).toFixed(2)} ms | `
        + `after p50 ${percentile(b, 50).toFixed(2)} p95 ${percentile(b, 95).toFixed(2)} ms | `
        + `after/before ${(percentile(b, 50) / percentile(a, 50)).toFixed(3)}× (${a.length} each)`);
    }
  } finally {
    servers.forEach((s) => s.kill('SIGTERM'));
    await pg.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
