import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The file next to the embedded data folder (`<folder>.lock`) that names the process using
 * it. Outside the folder, so PostgreSQL's own files and a backup of the folder never see it.
 */
export function lockFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** The embedded folder exists but PGlite cannot open it; the message says what to do. */
export class EmbeddedOpenError extends Error {}

/** Another live process holds the folder; the message names the folder and that process. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`DATA_DIR ${dataDir} is in use by process ${pid}: stop that process or set DATA_DIR to another folder`);
  }
}

interface Holder {
  pid: number;
  /** The kernel's start time of that process (Linux), so a recycled pid is not taken for the holder. */
  startedAt?: string;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startedAt = startTimeOf(holder.pid);
  return !holder.startedAt || !startedAt || startedAt === holder.startedAt;
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes this process the only one using `dataDir`: PGlite is one process
 * over a folder, and two writers corrupt it. The lock is a pid file created exclusively; one
 * left by a process that is gone (kill -9, a crash, a reboot) is taken over. Throws
 * DataDirLockedError while a live process holds it. Returns the release function, which is
 * also run when this process exits.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = lockFileOf(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const me: Holder = { pid: process.pid, startedAt: startTimeOf(process.pid) };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder.pid);
    rmSync(file, { force: true });
  }
  // Two processes taking over the same stale file at once: only one finds its own pid in it.
  const holder = readHolder(file);
  if (holder?.pid !== process.pid) throw new DataDirLockedError(dataDir, holder?.pid ?? 0);
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return release;
}
