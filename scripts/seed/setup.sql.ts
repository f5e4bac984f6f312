/**
 * The frame of a seeded workspace: the workspace, 500 reps, $2 pipelines (default 10) of 6 OPEN
 * stages then Won and Lost. Idempotent: a second run into the same workspace reuses them.
 * $1 workspace id.
 */
export const SETUP_SQL = [
  `INSERT INTO workspaces (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`,
  `INSERT INTO users (workspace_id, external_id, name, role)
   SELECT $1, 'owner-' || n, 'Owner ' || n, 'REP' FROM generate_series(1, 500) n
   ON CONFLICT (workspace_id, external_id) DO NOTHING`,
  `INSERT INTO users (workspace_id, external_id, name, role) VALUES ($1, 'admin', 'Admin', 'ADMIN')
   ON CONFLICT (workspace_id, external_id) DO NOTHING`,
  `INSERT INTO pipelines (workspace_id, name, created_at)
   SELECT $1, 'Pipeline ' || n, now() - interval '400 days' + n * interval '1 second' FROM generate_series(1, $2::int) n
   WHERE NOT EXISTS (SELECT 1 FROM pipelines WHERE workspace_id = $1)`,
  `INSERT INTO stages (workspace_id, pipeline_id, name, position, kind, probability, rotting_after_days)
   SELECT $1, p.id, s.name, s.position, s.kind::stage_kind, s.probability, s.rotting
   FROM pipelines p
   CROSS JOIN (VALUES ('Qualified', 0, 'OPEN', 0.10, 21), ('Discovery', 1, 'OPEN', 0.20, 21), ('Demo', 2, 'OPEN', 0.35, 14),
                      ('Proposal', 3, 'OPEN', 0.50, 14), ('Negotiation', 4, 'OPEN', 0.70, 10), ('Contract', 5, 'OPEN', 0.85, 7),
                      ('Won', 6, 'WON', 1.00, NULL), ('Lost', 7, 'LOST', 0.00, NULL)) AS s(name, position, kind, probability, rotting)
   WHERE p.workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM stages x WHERE x.pipeline_id = p.id)`,
];

/**
 * Session tables the batches read: pipelines, stages and owners by number. CREATE TABLE AS
 * takes no parameters, so the workspace comes as a quoted literal (pg's escapeLiteral).
 */
export const lookupSql = (workspace: string) => [
  `CREATE TEMP TABLE IF NOT EXISTS seed_pipelines AS
   SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::int AS no, id FROM pipelines WHERE workspace_id = ${workspace}`,
  `CREATE TEMP TABLE IF NOT EXISTS seed_stages AS
   SELECT p.no AS pipeline_no, s.position, s.id, s.pipeline_id FROM seed_pipelines p JOIN stages s ON s.pipeline_id = p.id`,
  `CREATE TEMP TABLE IF NOT EXISTS seed_users AS
   SELECT (row_number() OVER (ORDER BY external_id) - 1)::int AS no, id FROM users WHERE workspace_id = ${workspace} AND external_id LIKE 'owner-%'`,
];
