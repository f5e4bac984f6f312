import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource, migrate } from '../src/infra/db/data-source';
import { signToken } from '../src/infra/auth/token';
import { Role } from '../src/features/workspaces/role';
import { INSERT_SQL, planSql, STEPS_SQL } from './seed/batch.sql';
import { lookupSql, SETUP_SQL } from './seed/setup.sql';

/**
 * `npm run seed -- --deals N [--workspace W] [--batch B]`: applies pending migrations to
 * DATABASE_URL (as `npm run migrate` does), then fills it with a realistic workspace:
 * 10 pipelines × 8 stages, 500
 * owners, leads with sources and campaigns, deals with a year of stage history, activities.
 * Runs in batches of set-based INSERT … SELECT, printing progress; prints an ADMIN token
 * for the workspace at the end (signed with JWT_SECRET).
 */
interface Options {
  deals: number;
  workspace: string;
  batch: number;
  /** Pipelines of a new workspace (an existing one keeps its own). */
  pipelines: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { deals: 10_000, workspace: 'bench', batch: 50_000, pipelines: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--deals' || name === '--batch' || name === '--pipelines') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
      options[name.slice(2) as 'deals' | 'batch' | 'pipelines'] = n;
    } else if (name === '--workspace' && value) {
      options.workspace = value;
    } else {
      throw new Error(`unknown option ${name}; usage: npm run seed -- --deals N [--workspace W] [--batch B] [--pipelines P]`);
    }
  }
  return options;
}

/** The seed writes every table: a database that is new or behind is migrated first. */
async function migrateFirst(url: string): Promise<void> {
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'dealstream-seed' });
  await dataSource.initialize();
  try {
    await migrate(dataSource, (step) => process.stdout.write(`${step}…\n`));
  } finally {
    await dataSource.destroy();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required: the PostgreSQL database to fill');
  await migrateFirst(url);
  const client = new Client({ connectionString: url, application_name: 'dealstream-seed' });
  await client.connect();
  const started = Date.now();
  try {
    // A superuser seeds with triggers and foreign-key checks off (the data is made consistent
    // by construction, stage visits included): several times faster. Others seed with them on.
    const fast = await client.query("SET session_replication_role = 'replica'").then(() => true, () => false);
    process.stdout.write(fast ? 'triggers off for this session (superuser)\n' : 'triggers on (not a superuser): slower\n');
    for (const statement of SETUP_SQL) {
      await client.query(statement, statement.includes('$2') ? [options.workspace, options.pipelines] : [options.workspace]);
    }
    for (const statement of lookupSql(client.escapeLiteral(options.workspace))) await client.query(statement);
    const { rows: [{ pipelines }] } = await client.query('SELECT count(*)::int AS pipelines FROM seed_pipelines');
    // Deal numbers continue after what the workspace holds, so titles stay unique across runs.
    const { rows: [{ existing }] } = await client.query('SELECT count(*)::int AS existing FROM deals WHERE workspace_id = $1', [options.workspace]);
    for (let done = 0; done < options.deals;) {
      const size = Math.min(options.batch, options.deals - done);
      await client.query('BEGIN');
      await client.query(planSql(existing + done, size, pipelines));
      await client.query(STEPS_SQL);
      for (const statement of INSERT_SQL) await client.query(statement, statement.includes('$1') ? [options.workspace] : []);
      await client.query('COMMIT');
      done += size;
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`seeded ${done.toLocaleString('en')} / ${options.deals.toLocaleString('en')} deals in ${seconds.toFixed(1)} s\n`);
    }
    if (!fast) {
      // With triggers on, each change also entered the stage-visit backlog; the batches wrote
      // their visits already, so the fold only passes over them and empties it.
      await client.query('SELECT stage_visits_catch_up(NULL)');
    }
    if (fast) {
      // The tally triggers were off with the rest: count the workspace's stage tallies afresh.
      process.stdout.write('stage tallies…\n');
      await client.query('SELECT stage_tallies_rebuild(ARRAY(SELECT id FROM stages WHERE workspace_id = $1))', [options.workspace]);
    }
    // Fresh statistics, and a visibility map so the report indexes answer from the index alone.
    process.stdout.write('vacuum and analyze…\n');
    await client.query('VACUUM (ANALYZE) deals, deal_history, stage_changes, stage_visits, stage_tallies, leads, activities');
  } finally {
    await client.end();
  }
  const secret = process.env.JWT_SECRET;
  const token = secret ? signToken({ sub: 'admin', wid: options.workspace, role: Role.ADMIN, name: 'Admin' }, secret) : undefined;
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; workspace "${options.workspace}"`);
  console.log(token ? `ADMIN token: ${token}` : 'set JWT_SECRET to get a token for this workspace');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
