-- Stage visits: one row per entry of a deal into a stage, with when it left and whether a later
-- entry went further (`advanced`). PipelineMetrics reads them (conversion, time in stage).
--
-- Writes do not touch the visits. A stage change only leaves a copy of itself in
-- `stage_visit_backlog` (trigger stage_visits_defer, one INSERT per statement), and
-- `stage_visits_catch_up` folds the backlog in, set-based, many changes per statement, without
-- reading the ledger back. Two callers fold:
--   * the report folder, in the background every REPORT_FOLD_MS (src/features/reports/report-folder.ts);
--   * FOLD-ON-READ: every reader of the visits first calls `foldVisitBacklogBeforeReading`
--     (the same file), so a report is exact the moment a write commits, whether or not the
--     folder has run. It waits for a fold already running (advisory lock 7216539).
-- A backdated change, or a changed or deleted history row, rebuilds that deal's visits from the
-- ledger (`stage_visits_rebuild`), which also drops the deal's pending copies: the ledger it read
-- holds them. Deleting a deal takes its visits out of the reports (`live`).
--
-- This file is the current definition, applied by the migration ApplyDatabaseEngine (and any
-- later one that re-applies src/**/sql/*.sql after a change here); test/reports/database-engine.test.ts
-- fails when a migrated database differs from it.

CREATE OR REPLACE FUNCTION stage_visits_defer() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO stage_visit_backlog (change_id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at)
    SELECT id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at FROM new_changes;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_visits_defer AFTER INSERT ON stage_changes
  REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION stage_visits_defer();

-- Takes up to `batch` backlog entries (all of them when null), oldest first, and returns how
-- many: a deal's changes, serialised by its row lock, enter the backlog in order. A deal whose
-- current visit is not older than a pending change of it (the change was backdated or committed
-- out of order, or a rebuild has summarised it already) is rebuilt from the ledger. The others
-- are appended in rounds, each deal's earliest pending change per round: the change ends the
-- deal's current visit, advances every earlier visit to a stage of lower position (unless it
-- enters LOST), and begins a visit.
CREATE OR REPLACE FUNCTION stage_visits_catch_up(batch integer) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
    pending stage_changes[];
    stale uuid[];
    added uuid[];
    taken int;
BEGIN
    -- Nothing to wait for when the backlog is empty: a fold still running has not
    -- committed its DELETE, so its entries would still be seen here.
    IF NOT EXISTS (SELECT FROM stage_visit_backlog) THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(7216539);
    -- The changes as the backlog copied them: no probe of the ledger, nor of the visits for one
    -- summarised already (the stale check below finds those).
    WITH removed AS (
        DELETE FROM stage_visit_backlog
         WHERE seq IN (SELECT seq FROM stage_visit_backlog ORDER BY seq LIMIT batch)
        RETURNING change_id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at)
    SELECT count(*), coalesce(array_agg((change_id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at, NULL)::stage_changes), '{}')
      INTO taken, pending FROM removed;
    stale := ARRAY(
        SELECT DISTINCT c.deal_id FROM unnest(pending) c
         WHERE EXISTS (SELECT FROM stage_visits v WHERE v.deal_id = c.deal_id AND v.exited_at IS NULL
                                                    AND (v.entered_at, v.id) >= (c.changed_at, c.id)));
    IF cardinality(stale) > 0 THEN
        PERFORM stage_visits_rebuild(stale);
        pending := ARRAY(SELECT c FROM unnest(pending) c WHERE c.deal_id <> ALL (stale));
    END IF;
    WHILE cardinality(pending) > 0 LOOP
        WITH entered AS (
            SELECT DISTINCT ON (c.deal_id) c.*, s.pipeline_id, s.kind, s.position
              FROM unnest(pending) c
              JOIN stages s ON s.id = c.to_stage_id
             ORDER BY c.deal_id, c.changed_at, c.id
        ), ended AS (
            -- The deal's current visit, and its visits not yet advanced to the stages
            -- of lower position (a deal stays in its pipeline), both by index: not the
            -- deal's whole history, only its visits that no later entry has passed, one
            -- probe per lower stage (the fence keeps the stage in the index condition).
            UPDATE stage_visits v
               SET exited_at = coalesce(v.exited_at, e.changed_at),
                   advanced = v.advanced OR (e.kind <> 'LOST' AND s.position < e.position)
              FROM entered e
              JOIN LATERAL (
                  SELECT o.id FROM stage_visits o WHERE o.deal_id = e.deal_id AND o.exited_at IS NULL
                  UNION
                  SELECT u.id FROM stages l
                   CROSS JOIN LATERAL (SELECT u.id FROM stage_visits u
                                        WHERE u.deal_id = e.deal_id AND u.stage_id = l.id AND NOT u.advanced OFFSET 0) u
                   WHERE e.kind <> 'LOST' AND l.pipeline_id = e.pipeline_id AND l.position < e.position
              ) touched ON true
              JOIN stages s ON true
             WHERE v.id = touched.id AND s.id = v.stage_id
        ), begun AS (
            INSERT INTO stage_visits (id, workspace_id, deal_id, pipeline_id, stage_id, from_stage_id, entered_at,
                                      exited_at, previous_entry_at, advanced, live)
            SELECT e.id, e.workspace_id, e.deal_id, e.pipeline_id, e.to_stage_id, e.from_stage_id, e.changed_at, NULL,
                   (SELECT max(v.entered_at) FROM stage_visits v WHERE v.deal_id = e.deal_id AND v.stage_id = e.to_stage_id),
                   false, coalesce((SELECT d.deleted_at IS NULL FROM deals d WHERE d.id = e.deal_id), true)
              FROM entered e
            RETURNING id)
        SELECT array_agg(id) INTO added FROM begun;
        pending := ARRAY(SELECT c FROM unnest(pending) c WHERE NOT EXISTS (SELECT FROM unnest(added) a(id) WHERE a.id = c.id));
    END LOOP;
    RETURN taken;
END
$fn$;

-- The visits of some deals recomputed from the ledger, under the upkeep lock.
CREATE OR REPLACE FUNCTION stage_visits_rebuild(deal_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock(7216539);
    DELETE FROM stage_visit_backlog WHERE deal_id = ANY(deal_ids);
    DELETE FROM stage_visits WHERE deal_id = ANY(deal_ids);
    INSERT INTO stage_visits (id, workspace_id, deal_id, pipeline_id, stage_id, from_stage_id, entered_at, exited_at,
                              previous_entry_at, advanced, live)
    SELECT sc.id, sc.workspace_id, sc.deal_id, s.pipeline_id, sc.to_stage_id, sc.from_stage_id, sc.changed_at,
           lead(sc.changed_at) OVER w,
           lag(sc.changed_at) OVER (PARTITION BY sc.deal_id, sc.to_stage_id ORDER BY sc.changed_at, sc.id),
           coalesce(max(s.position) FILTER (WHERE s.kind <> 'LOST') OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) > s.position, false),
           d.deleted_at IS NULL
    FROM stage_changes sc
    JOIN stages s ON s.id = sc.to_stage_id
    JOIN deals d ON d.id = sc.deal_id
    WHERE sc.deal_id = ANY(deal_ids)
    WINDOW w AS (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id);
END
$fn$;

-- An edited or removed history row rebuilds its deals' visits (none are left for a deal removed
-- for good). A visit is keyed by its change's id but holds no foreign key to it: the fold appends
-- thousands of visits at a time, and a key check per row (with its row lock on the ledger) was a
-- tenth of the fold's work.
CREATE OR REPLACE FUNCTION stage_visits_rebuild_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM stage_visits_rebuild(ARRAY(SELECT DISTINCT deal_id FROM changed));
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_visits_after_update AFTER UPDATE ON stage_changes
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_visits_rebuild_changed();

CREATE OR REPLACE TRIGGER stage_visits_after_ledger_deletion AFTER DELETE ON stage_changes
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_visits_rebuild_changed();

-- A deal's visits leave (or rejoin) the reports with its deletion, under the upkeep lock.
CREATE OR REPLACE FUNCTION stage_visits_follow_deletion() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock(7216539);
    UPDATE stage_visits SET live = (NEW.deleted_at IS NULL) WHERE deal_id = NEW.id;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_visits_after_deal_deletion AFTER UPDATE OF deleted_at ON deals
  FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION stage_visits_follow_deletion();
