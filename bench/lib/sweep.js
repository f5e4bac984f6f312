'use strict';
const { Client } = require('pg');

/** The median of `times` timings of `timeOne` (ms), one at a time. */
async function median(timeOne, times = 9) {
  const ms = [];
  for (let i = 0; i < times; i++) ms.push(await timeOne());
  return ms.sort((a, b) => a - b)[times >> 1];
}

/**
 * What the sweeps' lists name in the versus workspace `bench`: its first pipeline and that
 * pipeline's stages in order, an owner with deals and the admin, who owns none (id and external id).
 */
async function sweepFixture(databaseUrl) {
  const client = new Client(databaseUrl);
  await client.connect();
  try {
    const one = async (sql, values) => (await client.query(sql, values)).rows[0];
    const { id: pipeline } = await one(`SELECT id FROM pipelines WHERE workspace_id = 'bench' ORDER BY created_at, id LIMIT 1`);
    const stages = (await client.query('SELECT id FROM stages WHERE pipeline_id = $1 ORDER BY position', [pipeline])).rows.map((r) => r.id);
    const user = (where) => one(`SELECT id, external_id AS external FROM users WHERE workspace_id = 'bench' AND ${where} ORDER BY external_id LIMIT 1`);
    return { pipeline, stages, owner: await user("external_id LIKE 'owner%'"), nobody: await user("external_id = 'admin'") };
  } finally {
    await client.end();
  }
}

module.exports = { median, sweepFixture };
