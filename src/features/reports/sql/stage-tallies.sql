-- Stage tallies: per stage and UTC day, first entries, first entries that advanced, exits and
-- time spent, summed from the live stage visits. Reports add them up over a range instead of
-- reading every visit.
--
-- Each statement on stage_visits appends what it changed to `stage_tally_deltas` (triggers
-- below, one INSERT per statement, so concurrent writers never wait on a shared tally row);
-- `stage_tallies_compact` folds the deltas into `stage_tallies` now and then (the report folder),
-- and readers add the pending deltas, so the figures are exact either way.
--
-- Current definition; applied by the migration ApplyDatabaseEngine; checked by
-- test/reports/database-engine.test.ts.

CREATE OR REPLACE FUNCTION stage_tallies_follow_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO stage_tally_deltas (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
    SELECT * FROM (
SELECT stage_id, day, sum(first_entries) AS first_entries, sum(advanced_first_entries) AS advanced_first_entries,
       sum(exits) AS exits, sum(exit_time) AS exit_time
FROM (
SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, 1 AS first_entries,
       1 * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
FROM new_visits WHERE live AND previous_entry_at IS NULL
UNION ALL
SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, 1, 1 * (exited_at - entered_at)
FROM new_visits WHERE live AND exited_at IS NOT NULL) parts GROUP BY stage_id, day) d
    WHERE (d.first_entries, d.advanced_first_entries, d.exits, d.exit_time) <> (0, 0, 0, interval '0');
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_tallies_after_insert AFTER INSERT ON stage_visits
  REFERENCING NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_insert();

CREATE OR REPLACE FUNCTION stage_tallies_follow_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO stage_tally_deltas (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
    SELECT * FROM (
SELECT stage_id, day, sum(first_entries) AS first_entries, sum(advanced_first_entries) AS advanced_first_entries,
       sum(exits) AS exits, sum(exit_time) AS exit_time
FROM (
SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, -1 AS first_entries,
       -1 * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
FROM old_visits WHERE live AND previous_entry_at IS NULL
UNION ALL
SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, -1, -1 * (exited_at - entered_at)
FROM old_visits WHERE live AND exited_at IS NOT NULL) parts GROUP BY stage_id, day) d
    WHERE (d.first_entries, d.advanced_first_entries, d.exits, d.exit_time) <> (0, 0, 0, interval '0');
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_tallies_after_delete AFTER DELETE ON stage_visits
  REFERENCING OLD TABLE AS old_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_delete();

CREATE OR REPLACE FUNCTION stage_tallies_follow_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO stage_tally_deltas (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
    SELECT * FROM (
SELECT stage_id, day, sum(first_entries) AS first_entries, sum(advanced_first_entries) AS advanced_first_entries,
       sum(exits) AS exits, sum(exit_time) AS exit_time
FROM (
SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, 1 AS first_entries,
       1 * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
FROM new_visits WHERE live AND previous_entry_at IS NULL
UNION ALL
SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, 1, 1 * (exited_at - entered_at)
FROM new_visits WHERE live AND exited_at IS NOT NULL UNION ALL
SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, -1 AS first_entries,
       -1 * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
FROM old_visits WHERE live AND previous_entry_at IS NULL
UNION ALL
SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, -1, -1 * (exited_at - entered_at)
FROM old_visits WHERE live AND exited_at IS NOT NULL) parts GROUP BY stage_id, day) d
    WHERE (d.first_entries, d.advanced_first_entries, d.exits, d.exit_time) <> (0, 0, 0, interval '0');
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER stage_tallies_after_update AFTER UPDATE ON stage_visits
  REFERENCING OLD TABLE AS old_visits NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_update();

-- Folds up to `batch` deltas into the tallies; one compaction at a time (others return 0).
CREATE OR REPLACE FUNCTION stage_tallies_compact(batch integer) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
    folded int;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7216538) THEN
        RETURN 0;
    END IF;
    WITH taken AS (
        DELETE FROM stage_tally_deltas
         WHERE id IN (SELECT id FROM stage_tally_deltas ORDER BY id LIMIT batch)
        RETURNING *
    ), folded_in AS (
        INSERT INTO stage_tallies (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
        SELECT stage_id, day, sum(first_entries), sum(advanced_first_entries), sum(exits), sum(exit_time)
        FROM taken GROUP BY stage_id, day ORDER BY stage_id, day
        ON CONFLICT (stage_id, day) DO UPDATE SET
            first_entries = stage_tallies.first_entries + EXCLUDED.first_entries,
            advanced_first_entries = stage_tallies.advanced_first_entries + EXCLUDED.advanced_first_entries,
            exits = stage_tallies.exits + EXCLUDED.exits,
            exit_time = stage_tallies.exit_time + EXCLUDED.exit_time
        RETURNING 1
    )
    SELECT count(*) INTO folded FROM taken;
    RETURN folded;
END
$fn$;

-- The tallies of some stages recomputed from their visits (the seeder uses it after a bulk load).
CREATE OR REPLACE FUNCTION stage_tallies_rebuild(stage_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock(7216538);
    DELETE FROM stage_tally_deltas WHERE stage_id = ANY(stage_ids);
    DELETE FROM stage_tallies WHERE stage_id = ANY(stage_ids);
    INSERT INTO stage_tallies (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)

SELECT stage_id, day, sum(first_entries) AS first_entries, sum(advanced_first_entries) AS advanced_first_entries,
       sum(exits) AS exits, sum(exit_time) AS exit_time
FROM (
SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, 1 AS first_entries,
       1 * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
FROM (SELECT * FROM stage_visits WHERE stage_id = ANY(stage_ids)) v WHERE live AND previous_entry_at IS NULL
UNION ALL
SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, 1, 1 * (exited_at - entered_at)
FROM (SELECT * FROM stage_visits WHERE stage_id = ANY(stage_ids)) v WHERE live AND exited_at IS NOT NULL) parts GROUP BY stage_id, day;
END
$fn$;
