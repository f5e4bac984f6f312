import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository's root, where `npm start` runs. */
export const ROOT = path.resolve(__dirname, '../..');

/** The node arguments of `npm start` (its script is `exec node <these>`), for a test that launches node alone. */
export const START_ARGS: string[] = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start
  .replace(/^exec node /, '').split(' ');

/** `npm start` as a person runs it, or its node process alone (no npm between). */
export type Launch = 'npm start' | 'node';

/** A server (or a refused start) in a child process, its output collected. */
export class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  /** Resolves with the exit code (null after a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(launch: Launch, env: Record<string, string>) {
    // No DATABASE_URL, no JWT_SECRET and no NODE_OPTIONS from the test runner: the embedded database.
    const { DATABASE_URL: _url, JWT_SECRET: _secret, NODE_OPTIONS: _options, ...inherited } = process.env;
    const childEnv = { ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'warn', SEED_DEMO: 'false', PORT: '0', ...env };
    this.child = launch === 'npm start'
      ? spawn('npm', ['start'], { cwd: ROOT, env: childEnv })
      : spawn(process.execPath, START_ARGS, { cwd: ROOT, env: childEnv });
    this.child.stdout.on('data', (chunk) => { this.stdout += chunk; });
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the printed GraphQL URL once the server runs; rejects if it exits first. */
  url(): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = /GraphQL \(HTTP and WebSocket\): (\S+)/.exec(this.stdout);
        if (match) resolve(match[1]);
      };
      this.child.stdout.on('data', check);
      void this.exited.then(() => reject(new Error(`exited before it ran:\n${this.stdout}\n${this.stderr}`)));
      check();
    });
  }
}

/** Whether a process with this pid is alive (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for a condition, checking every 50 ms (the test's timeout bounds it). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}
