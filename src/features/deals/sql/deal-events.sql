-- Every transaction that writes the event log first takes a shared advisory lock (7216537),
-- before it draws a sequence number, and holds it until it ends. When the event reader finds a
-- missing number, the transactions holding that lock are exactly the ones that may still commit
-- it: it waits for those alone, so an unrelated long transaction never holds delivery up.
-- Shared locks do not conflict, so writers never wait for each other here.
--
-- Current definition; applied by the migration ApplyDatabaseEngine; checked by
-- test/reports/database-engine.test.ts.

CREATE OR REPLACE FUNCTION deal_events_mark_writer() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7216537);
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER deal_events_mark_writer BEFORE INSERT ON deal_events
  FOR EACH STATEMENT EXECUTE FUNCTION deal_events_mark_writer();
