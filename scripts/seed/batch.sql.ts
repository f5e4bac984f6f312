/**
 * One batch of seeded deals, with their leads, stage history and activities: deal numbers
 * `first` to `first + size - 1` spread over `pipelines` pipelines (integers, inlined because
 * CREATE TABLE AS takes no parameters). The inserts take $1, the workspace id.
 *
 * Each deal is created at a random time in the past 12 months and has a sales cycle of 5 to
 * 120 days. It climbs 0 to 5 OPEN stages at even steps; when its cycle has run out it is
 * closed at its end (40% won), except one in ten that lingers open. Open deals have moved
 * over part of their age so far. One deal in ten that reached stage 2 or beyond went back
 * one stage on the way (a backward move). Half the deals come from a converted lead; as many
 * leads again never became a deal.
 */
export const planSql = (first: number, size: number, pipelines: number) => `
CREATE TEMP TABLE seed_plan AS
SELECT i, gen_random_uuid() AS deal_id,
       CASE WHEN i % 2 = 0 THEN gen_random_uuid() END AS lead_id,
       i % ${pipelines} AS pipeline_no, ((i::bigint * 7919) % 500)::int AS owner_no,
       created_at, reached, closed, closed AND random() < 0.4 AS won,
       CASE WHEN closed THEN cycle ELSE least(age, cycle) * (0.3 + 0.7 * random()) END AS span,
       (reached >= 2 AND random() < 0.1) AS backtrack,
       round((500 + 150000 * power(random(), 3))::numeric, 2) AS value
FROM (
  SELECT i, now() - age * interval '1 day' AS created_at, age, cycle,
         floor(random() * 6)::int AS reached, cycle < age AND random() < 0.9 AS closed
  FROM (SELECT i, random() * 365 AS age, 5 + 115 * random() AS cycle FROM generate_series(${first}, ${first + size - 1}) i) a
) b`;

/** The steps of each plan: positions entered in order, at even times across its span. */
export const STEPS_SQL = `
CREATE TEMP TABLE seed_steps AS
WITH path AS (
  SELECT p.*, s.n, s.position FROM seed_plan p
  CROSS JOIN LATERAL (
    SELECT row_number() OVER () - 1 AS n, position FROM (
      SELECT generate_series(0, p.reached) AS position
      UNION ALL SELECT p.reached - 1 WHERE p.backtrack
      UNION ALL SELECT p.reached WHERE p.backtrack
      UNION ALL SELECT CASE WHEN p.won THEN 6 ELSE 7 END WHERE p.closed
    ) x
  ) s
)
SELECT gen_random_uuid() AS change_id, deal_id, pipeline_no, n, position,
       lag(position) OVER (PARTITION BY deal_id ORDER BY n) AS from_position,
       created_at + span * interval '1 day' * n / greatest(1, count(*) OVER (PARTITION BY deal_id) - 1) AS changed_at,
       n = count(*) OVER (PARTITION BY deal_id) - 1 AS last
FROM path`;

export const INSERT_SQL = [
  `INSERT INTO leads (id, workspace_id, name, company, source, campaign, status, owner_id, created_at, updated_at, qualified_at, sales_qualified_at, converted_at)
   SELECT p.lead_id, $1, 'Lead ' || p.i, 'Company ' || (p.i % 5000),
          (enum_range(NULL::lead_source))[1 + p.i % 10], 'campaign-' || (p.i % 40), 'CONVERTED', u.id,
          p.created_at - interval '20 days', p.created_at, p.created_at - interval '10 days', p.created_at - interval '5 days', p.created_at
   FROM seed_plan p JOIN seed_users u ON u.no = p.owner_no WHERE p.lead_id IS NOT NULL`,
  `INSERT INTO leads (workspace_id, name, source, campaign, status, created_at, updated_at, qualified_at, sales_qualified_at)
   SELECT $1, 'Prospect ' || p.i, (enum_range(NULL::lead_source))[1 + (p.i / 2) % 10], 'campaign-' || (p.i % 40),
          (ARRAY['NEW', 'NURTURING', 'MQL', 'SQL', 'DISQUALIFIED'])[1 + p.i % 5]::lead_status,
          p.created_at, p.created_at,
          CASE WHEN p.i % 5 IN (2, 3) THEN p.created_at + interval '3 days' END,
          CASE WHEN p.i % 5 = 3 THEN p.created_at + interval '6 days' END
   FROM seed_plan p WHERE p.lead_id IS NOT NULL`,
  // lead_source is the lead's, as the trigger deals_copy_lead_source (off here) would copy it.
  `INSERT INTO deals (id, workspace_id, title, value, pipeline_id, stage_id, status, owner_id, lead_id, lead_source, expected_close_date,
                      lost_reason, created_at, updated_at, stage_entered_at, closed_at, last_activity_at)
   SELECT p.deal_id, $1, 'Deal ' || p.i, p.value, sp.id, st.id,
          (CASE WHEN NOT p.closed THEN 'OPEN' WHEN p.won THEN 'WON' ELSE 'LOST' END)::deal_status,
          u.id, p.lead_id, CASE WHEN p.lead_id IS NOT NULL THEN (enum_range(NULL::lead_source))[1 + p.i % 10] END, CASE WHEN NOT p.closed THEN now() + (p.i % 180) * interval '1 day' END,
          CASE WHEN p.closed AND NOT p.won THEN (ARRAY['Price', 'Timing', 'Competitor', 'No budget'])[1 + p.i % 4] END,
          p.created_at, s.changed_at, s.changed_at, CASE WHEN p.closed THEN s.changed_at END,
          CASE WHEN p.i % 3 = 0 THEN least(now(), s.changed_at + interval '2 days') END
   FROM seed_plan p
   JOIN seed_steps s ON s.deal_id = p.deal_id AND s.last
   JOIN seed_pipelines sp ON sp.no = p.pipeline_no
   JOIN seed_stages st ON st.pipeline_no = p.pipeline_no AND st.position = s.position
   JOIN seed_users u ON u.no = p.owner_no`,
  `INSERT INTO stage_changes (id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at)
   SELECT s.change_id, $1, s.deal_id, f.id, t.id, s.changed_at
   FROM seed_steps s
   JOIN seed_stages t ON t.pipeline_no = s.pipeline_no AND t.position = s.position
   LEFT JOIN seed_stages f ON f.pipeline_no = s.pipeline_no AND f.position = s.from_position`,
  // The batch summarises its own ledger, as stage_visits_rebuild (src/features/reports/sql/stage-visits.sql)
  // would (position 7 is Lost), rather than leave it to the stage-visit backlog.
  `INSERT INTO stage_visits (id, workspace_id, deal_id, pipeline_id, stage_id, from_stage_id, entered_at, exited_at,
                             previous_entry_at, advanced, live)
   SELECT s.change_id, $1, s.deal_id, t.pipeline_id, t.id, f.id, s.changed_at,
          lead(s.changed_at) OVER w,
          lag(s.changed_at) OVER (PARTITION BY s.deal_id, s.position ORDER BY s.n),
          coalesce(max(s.position) FILTER (WHERE s.position <> 7) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) > s.position, false),
          true
   FROM seed_steps s
   JOIN seed_stages t ON t.pipeline_no = s.pipeline_no AND t.position = s.position
   LEFT JOIN seed_stages f ON f.pipeline_no = s.pipeline_no AND f.position = s.from_position
   WINDOW w AS (PARTITION BY s.deal_id ORDER BY s.n)
   ON CONFLICT (id) DO NOTHING`,
  // The field history of each deal, as the write path records it: its creation, then one row
  // per later stage entry holding the state that entry ended (position 6 is Won, 7 Lost).
  `INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, type, from_stage_id, to_stage_id,
                             title, value, stage_id, status, owner_id, expected_close_date, lost_reason, stage_entered_at)
   SELECT s.deal_id, s.changed_at, coalesce(lag(s.changed_at) OVER w, s.changed_at), $1, t.pipeline_id,
          (CASE WHEN s.n = 0 THEN 'CREATED' WHEN s.position = 6 THEN 'WON' WHEN s.position = 7 THEN 'LOST'
                WHEN s.from_position < 6 THEN 'MOVED' ELSE 'REOPENED' END)::deal_event_type,
          f.id, t.id, CASE WHEN s.n > 0 THEN d.title END, CASE WHEN s.n > 0 THEN d.value END, f.id,
          CASE WHEN s.n > 0 THEN (CASE s.from_position WHEN 6 THEN 'WON' WHEN 7 THEN 'LOST' ELSE 'OPEN' END)::deal_status END,
          CASE WHEN s.n > 0 THEN d.owner_id END, CASE WHEN s.n > 0 THEN d.expected_close_date END, NULL, lag(s.changed_at) OVER w
   FROM seed_steps s
   JOIN deals d ON d.id = s.deal_id
   JOIN seed_stages t ON t.pipeline_no = s.pipeline_no AND t.position = s.position
   LEFT JOIN seed_stages f ON f.pipeline_no = s.pipeline_no AND f.position = s.from_position
   WINDOW w AS (PARTITION BY s.deal_id ORDER BY s.n)`,
  `INSERT INTO activities (workspace_id, type, subject, due_at, done_at, deal_id, owner_id, created_at)
   SELECT $1, 'CALL', 'Follow-up call', d.last_activity_at, d.last_activity_at, d.id, d.owner_id, d.last_activity_at - interval '1 day'
   FROM deals d JOIN seed_plan p ON p.deal_id = d.id WHERE d.last_activity_at IS NOT NULL`,
  `DROP TABLE seed_plan`,
  `DROP TABLE seed_steps`,
];
