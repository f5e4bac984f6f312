-- moveDeal as Dealstream sent it at commit 9a22a11 (captured with log_statement = all); for statement-cpu.js --kind move
WITH deal AS (SELECT * FROM deals WHERE id = $3::uuid AND workspace_id = $1 AND deleted_at IS NULL FOR UPDATE),
	clock AS (SELECT clock_timestamp() AS now FROM deal),
	target AS (SELECT s.* FROM stages s, deal
	      WHERE s.id = $4::uuid AND s.pipeline_id = deal.pipeline_id AND s.workspace_id = deal.workspace_id),
	verdict AS (SELECT coalesce(CASE WHEN deal.owner_id IS NULL THEN true
	      WHEN deal.owner_id = $5::uuid THEN true ELSE true END, false) AS c0, coalesce(target.id IS NOT NULL, false) AS c1, coalesce(target.id <> deal.stage_id, false) AS c2, coalesce(target.kind <> 'LOST', false) AS c3 FROM (SELECT) one
	    LEFT JOIN deal ON true LEFT JOIN target ON true),
	changed AS (
	    UPDATE deals SET stage_id = target.id, stage_entered_at = clock.now, status = target.kind::text::deal_status, closed_at = CASE WHEN target.kind = 'OPEN' THEN NULL ELSE clock.now END, lost_reason = CASE WHEN target.kind = 'LOST' THEN $6::text END, updated_at = clock.now, version = deals.version + 1
	    FROM deal, clock, verdict, target WHERE deals.id = deal.id AND verdict.c0 AND verdict.c1 AND verdict.c2 AND verdict.c3
	    RETURNING deals.*, deal.stage_id AS left_stage_id, (CASE WHEN target.kind <> 'OPEN' THEN target.kind::text WHEN deal.status = 'OPEN' THEN 'MOVED' ELSE 'REOPENED' END)::deal_event_type AS event_type, CASE WHEN target.kind = 'LOST' THEN jsonb_build_object('reason', deals.lost_reason) ELSE '{}'::jsonb END AS event_payload,
	      to_jsonb(array_remove(ARRAY[CASE WHEN deal.title IS DISTINCT FROM deals.title THEN jsonb_build_object('field', 'TITLE', 'from', deal.title, 'to', deals.title) END,
	      CASE WHEN deal.value IS DISTINCT FROM deals.value THEN jsonb_build_object('field', 'VALUE', 'from', (deal.value)::numeric(14,2)::text, 'to', (deals.value)::numeric(14,2)::text) END,
	      CASE WHEN deal.stage_id IS DISTINCT FROM deals.stage_id THEN jsonb_build_object('field', 'STAGE', 'from', (deal.stage_id)::text, 'to', (deals.stage_id)::text) END,
	      CASE WHEN deal.status IS DISTINCT FROM deals.status THEN jsonb_build_object('field', 'STATUS', 'from', (deal.status)::text, 'to', (deals.status)::text) END,
	      CASE WHEN deal.owner_id IS DISTINCT FROM deals.owner_id THEN jsonb_build_object('field', 'OWNER', 'from', (SELECT external_id FROM users WHERE id = deal.owner_id), 'to', (SELECT external_id FROM users WHERE id = deals.owner_id)) END,
	      CASE WHEN deal.expected_close_date IS DISTINCT FROM deals.expected_close_date THEN jsonb_build_object('field', 'EXPECTED_CLOSE_DATE', 'from', to_char((deal.expected_close_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'to', to_char((deals.expected_close_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
	      CASE WHEN deal.lost_reason IS DISTINCT FROM deals.lost_reason THEN jsonb_build_object('field', 'LOST_REASON', 'from', deal.lost_reason, 'to', deals.lost_reason) END]::jsonb[], NULL)) AS event_changes),
	history AS (INSERT INTO stage_changes (workspace_id, deal_id, from_stage_id, to_stage_id, changed_at, changed_by_id)
	    SELECT workspace_id, id, left_stage_id, stage_id, stage_entered_at, $2::uuid FROM changed),
	event AS (INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, changes,
	      occurred_at, txid)
	    SELECT workspace_id, pipeline_id, id, event_type, left_stage_id, stage_id, $2::uuid, event_payload, event_changes, updated_at,
	      pg_current_xact_id()::text::bigint FROM changed
	    RETURNING *),
	field_history AS (INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type, actor_id,
	      from_stage_id, to_stage_id, changes, title, value, stage_id, status, owner_id, expected_close_date, lost_reason, stage_entered_at)
	    SELECT e.deal_id, e.occurred_at, deal.updated_at, e.workspace_id, e.pipeline_id, e.seq,
	      e.type, e.actor_id, e.from_stage_id, e.to_stage_id, e.changes, deal.title, deal.value, deal.stage_id, deal.status, deal.owner_id, deal.expected_close_date, deal.lost_reason, deal.stage_entered_at
	    FROM event e JOIN deal ON deal.id = e.deal_id)
	    SELECT row_to_json(verdict) AS verdict, (SELECT row_to_json(changed) FROM changed) AS after,
	      (SELECT row_to_json(deal) FROM deal WHERE NOT EXISTS (SELECT FROM changed)) AS before,
	      (SELECT row_to_json(s) FROM stages s WHERE s.id = coalesce((SELECT stage_id FROM changed), (SELECT stage_id FROM deal))) AS stage,
	      (SELECT row_to_json(u) FROM users u WHERE u.id = coalesce((SELECT owner_id FROM changed), (SELECT owner_id FROM deal))
	        AND u.workspace_id = $1) AS owner
	    FROM verdict
