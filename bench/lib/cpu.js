'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** CPU microseconds (user + system) a process has used so far; 0 for one that is gone. */
function cpuOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

/** The machine's PostgreSQL processes (every backend, whichever server it serves). */
function postgresPids() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

/**
 * CPU used by `pid` and by PostgreSQL while `work` runs. Servers are measured one at a time,
 * so PostgreSQL's share in that window is the measured server's (autovacuum and the other
 * server's idle background work aside). A backend that exits inside the window is not counted.
 */
async function cpuDuring(pid, work) {
  const pgPids = postgresPids();
  const before = { server: cpuOf(pid), pg: pgPids.map(cpuOf) };
  const result = await work();
  const pgAfter = postgresPids();
  const pgUsed = pgAfter.reduce((sum, p) => {
    const i = pgPids.indexOf(p);
    return sum + cpuOf(p) - (i < 0 ? 0 : before.pg[i]);
  }, 0);
  return { result, serverUs: cpuOf(pid) - before.server, postgresUs: pgUsed };
}

module.exports = { cpuDuring, cpuOf };
