import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/** The local PostgreSQL cluster (Debian's pg_ctlcluster), which the fault tests stop and start. */
const version = () => readdirSync('/etc/postgresql')[0];

function ctl(action: 'stop' | 'start'): void {
  const args = ['--skip-systemctl-redirect', version(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])];
  execFileSync('pg_ctlcluster', args, { stdio: 'pipe' });
}

function ready(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
    return true;
  } catch {
    return false;
  }
}

/** Stops the local PostgreSQL (fast: sessions are cut, as in a crash or failover). */
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
