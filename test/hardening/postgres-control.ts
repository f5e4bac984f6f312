import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { TEST_DATABASE_URL } from '../helpers/database';

/**
 * The PostgreSQL the fault tests stop and start: the machine's cluster (Debian's
 * pg_ctlcluster), or, with FAULT_PG_DATA set, a private cluster in that data directory
 * (pg_ctl, as the postgres user), so that the test can be worked on without stopping the
 * server everyone else uses. The port is TEST_DATABASE_URL's.
 */
const port = new URL(TEST_DATABASE_URL).port || '5432';
const privateData = process.env.FAULT_PG_DATA;

function ctl(action: 'stop' | 'start'): void {
  if (privateData) {
    const version = readdirSync('/usr/lib/postgresql')[0];
    const args = [`/usr/lib/postgresql/${version}/bin/pg_ctl`, '-D', privateData, '-l', `${privateData}/../server.log`, '-w',
      ...(action === 'start' ? ['-o', `-p ${port} -k /tmp`] : ['-m', 'fast']), action];
    execFileSync('su', ['postgres', '-c', args.map((a) => `'${a}'`).join(' ')], { stdio: 'pipe' });
    return;
  }
  const version = readdirSync('/etc/postgresql')[0];
  const args = ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])];
  execFileSync('pg_ctlcluster', args, { stdio: 'pipe' });
}

function ready(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-q']);
    return true;
  } catch {
    return false;
  }
}

/** Stops PostgreSQL (fast: sessions are cut, as in a crash or failover). */
export function stopPostgres(): void {
  ctl('stop');
}

/** Starts it again, if it is not running, and waits until it accepts connections (30 s at most). */
export async function startPostgres(): Promise<void> {
  if (!ready()) {
    try {
      ctl('start');
    } catch {
      // already starting or started by someone else: wait for it below
    }
  }
  for (let i = 0; i < 300 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!ready()) throw new Error('PostgreSQL did not come back within 30 s');
}
