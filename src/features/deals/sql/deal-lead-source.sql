-- A deal carries its lead's source (deals.lead_source), so that `deals(filter: {leadSource})`
-- reads the index deals_by_lead_source and the planner knows how many deals each source has.
-- Probing each deal's lead instead made PostgreSQL walk the whole list in its order when a
-- source had few deals (28 s on 1M deals). Every write of deals.lead_id, and every change of a
-- lead's source, passes through these triggers, whichever statement makes it.
--
-- (The migration ApplyDatabaseEngine, older than the column, applies this file too: the
-- trigger names no column that only DealLeadSource adds.)
--
-- Current definition; applied by the migration DealLeadSource; checked by
-- test/reports/database-engine.test.ts.

CREATE OR REPLACE FUNCTION deals_copy_lead_source() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.lead_source := (SELECT l.source FROM leads l WHERE l.id = NEW.lead_id);
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE TRIGGER deals_copy_lead_source BEFORE INSERT OR UPDATE OF lead_id ON deals
  FOR EACH ROW EXECUTE FUNCTION deals_copy_lead_source();

CREATE OR REPLACE FUNCTION leads_pass_source_to_deal() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE deals SET lead_source = NEW.source WHERE lead_id = NEW.id;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER leads_pass_source_to_deal AFTER UPDATE OF source ON leads
  FOR EACH ROW WHEN (OLD.source IS DISTINCT FROM NEW.source) EXECUTE FUNCTION leads_pass_source_to_deal();
