-- logActivity on a deal as Dealstream sent it at commit a016c1f (captured with log_statement = all); for statement-cpu.js --kind activity
WITH deal AS (SELECT * FROM deals WHERE id = $3::uuid AND workspace_id = $1 AND deleted_at IS NULL FOR UPDATE),
clock AS (SELECT clock_timestamp() AS now FROM deal),
logged AS (INSERT INTO activities (workspace_id, type, subject, due_at, done_at, deal_id, lead_id, owner_id, created_at)
      SELECT $1, $4::activity_type, $5::text,
      $6::timestamptz, $7::timestamptz, deal.id, NULL, $2::uuid, clock.now
      FROM (SELECT * FROM deal ) deal, clock RETURNING *),
changed AS (
    UPDATE deals SET last_activity_at = greatest((SELECT max(COALESCE(a.done_at, a.created_at)) FROM activities a WHERE a.deal_id = deal.id),
    COALESCE(logged.done_at, logged.created_at)), updated_at = clock.now, version = deals.version + 1
    FROM deal, clock, logged WHERE deals.id = deal.id AND true
    RETURNING deals.*, deal.stage_id AS left_stage_id, 'UPDATED'::deal_event_type AS event_type, '{"fields":["lastActivityAt"]}'::jsonb AS event_payload,
      to_jsonb(array_remove(ARRAY[CASE WHEN deal.title IS DISTINCT FROM deals.title THEN jsonb_build_object('field', 'TITLE', 'from', deal.title, 'to', deals.title) END,
      CASE WHEN deal.value IS DISTINCT FROM deals.value THEN jsonb_build_object('field', 'VALUE', 'from', (deal.value)::numeric(14,2)::text, 'to', (deals.value)::numeric(14,2)::text) END,
      CASE WHEN deal.stage_id IS DISTINCT FROM deals.stage_id THEN jsonb_build_object('field', 'STAGE', 'from', (deal.stage_id)::text, 'to', (deals.stage_id)::text) END,
      CASE WHEN deal.status IS DISTINCT FROM deals.status THEN jsonb_build_object('field', 'STATUS', 'from', (deal.status)::text, 'to', (deals.status)::text) END,
      CASE WHEN deal.owner_id IS DISTINCT FROM deals.owner_id THEN jsonb_build_object('field', 'OWNER', 'from', (SELECT external_id FROM users WHERE id = deal.owner_id), 'to', (SELECT external_id FROM users WHERE id = deals.owner_id)) END,
      CASE WHEN deal.expected_close_date IS DISTINCT FROM deals.expected_close_date THEN jsonb_build_object('field', 'EXPECTED_CLOSE_DATE', 'from', to_char((deal.expected_close_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'to', to_char((deals.expected_close_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
      CASE WHEN deal.lost_reason IS DISTINCT FROM deals.lost_reason THEN jsonb_build_object('field', 'LOST_REASON', 'from', deal.lost_reason, 'to', deals.lost_reason) END]::jsonb[], NULL)) AS event_changes),
event AS (INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, changes,
      occurred_at, txid)
    SELECT workspace_id, pipeline_id, id, event_type, NULL, stage_id, $2::uuid, event_payload, event_changes, updated_at,
      pg_current_xact_id()::text::bigint FROM changed
    RETURNING *),
field_history AS (INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type, actor_id,
      from_stage_id, to_stage_id, changes, title, value, stage_id, status, owner_id, expected_close_date, lost_reason, stage_entered_at)
    SELECT e.deal_id, e.occurred_at, deal.updated_at, e.workspace_id, e.pipeline_id, e.seq,
      e.type, e.actor_id, e.from_stage_id, e.to_stage_id, e.changes, deal.title, deal.value, deal.stage_id, deal.status, deal.owner_id, deal.expected_close_date, deal.lost_reason, deal.stage_entered_at
    FROM event e JOIN deal ON deal.id = e.deal_id)
    SELECT row_to_json(logged) AS activity, (SELECT row_to_json(changed) FROM changed) AS deal FROM logged
