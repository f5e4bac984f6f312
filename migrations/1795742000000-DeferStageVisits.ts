import { MigrationInterface, QueryRunner } from "typeorm";

/** Advisory lock key of stage-visit upkeep: one fold, rebuild or deletion follow-up at a time. */
const VISITS_LOCK = 7216539;

/**
 * Stage visits are no longer written by a row trigger inside each stage change's own
 * statement: an appended change only leaves its id in `stage_visit_backlog`, and
 * `stage_visits_catch_up` folds the backlog into the visits set-based, many changes per
 * statement. Readers of the visits (PipelineMetrics) catch up first, so they stay exact;
 * a background folder keeps the backlog short. The rebuild and the deletion follow-up take
 * the same lock, so no two of them write one deal's visits at once.
 */
export class DeferStageVisits1795742000000 implements MigrationInterface {
    name = 'DeferStageVisits1795742000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "stage_visit_backlog" ("seq" BIGSERIAL NOT NULL, "change_id" uuid NOT NULL, CONSTRAINT "PK_stage_visit_backlog" PRIMARY KEY ("seq"))`);
        // What a fold reads per deal, whatever the length of its history: its current visit,
        // its visits not yet advanced per stage, and its latest entry into a stage.
        await queryRunner.query(`DROP INDEX "public"."stage_visits_deal"`);
        await queryRunner.query(`CREATE INDEX "stage_visits_deal" ON "stage_visits" ("deal_id", "stage_id", "entered_at") `);
        await queryRunner.query(`CREATE INDEX "stage_visits_open" ON "stage_visits" ("deal_id") WHERE exited_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "stage_visits_unadvanced" ON "stage_visits" ("deal_id", "stage_id") WHERE NOT advanced`);

        // Hand-added below (TypeORM does not model functions or triggers).
        await queryRunner.query(`DROP TRIGGER stage_visits_after_insert ON stage_changes`);
        await queryRunner.query(`DROP FUNCTION stage_visits_append()`);
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_defer() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                INSERT INTO stage_visit_backlog (change_id) SELECT id FROM new_changes;
                RETURN NULL;
            END
            $fn$`);
        await queryRunner.query(`CREATE TRIGGER stage_visits_defer AFTER INSERT ON stage_changes
            REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION stage_visits_defer()`);

        // Takes up to \`batch\` backlog entries (all of them when null), oldest first, and returns
        // how many: a deal's changes, serialised by its row lock, enter the backlog in order.
        // A change whose visit exists already (a rebuild summarised it) or that is gone is
        // passed over. A deal with a change older than its latest visit (the one not ended:
        // backdated, or committed out of order) is rebuilt from the ledger. The others are appended in
        // rounds, each deal's earliest pending change per round: the change ends the deal's
        // current visit, advances every earlier visit to a stage of lower position (unless it
        // enters LOST), and begins a visit.
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_catch_up(batch int) RETURNS int LANGUAGE plpgsql AS $fn$
            DECLARE
                ids uuid[];
                pending uuid[];
                stale uuid[];
                added uuid[];
                taken int;
            BEGIN
                -- Nothing to wait for when the backlog is empty: a fold still running has not
                -- committed its DELETE, so its entries would still be seen here.
                IF NOT EXISTS (SELECT FROM stage_visit_backlog) THEN
                    RETURN 0;
                END IF;
                PERFORM pg_advisory_xact_lock(${VISITS_LOCK});
                WITH removed AS (
                    DELETE FROM stage_visit_backlog
                     WHERE seq IN (SELECT seq FROM stage_visit_backlog ORDER BY seq LIMIT batch)
                    RETURNING change_id)
                SELECT count(*), coalesce(array_agg(change_id), '{}') INTO taken, ids FROM removed;
                -- By id, one index probe each, whatever the planner believes of the backlog's size.
                pending := ARRAY(SELECT c.id FROM stage_changes c
                                  WHERE c.id = ANY (ids) AND NOT EXISTS (SELECT FROM stage_visits v WHERE v.id = c.id));
                stale := ARRAY(
                    SELECT DISTINCT c.deal_id FROM stage_changes c
                     WHERE c.id = ANY (pending)
                       AND EXISTS (SELECT FROM stage_visits v WHERE v.deal_id = c.deal_id AND v.exited_at IS NULL
                                                                   AND (v.entered_at, v.id) > (c.changed_at, c.id)));
                IF cardinality(stale) > 0 THEN
                    PERFORM stage_visits_rebuild(stale);
                    pending := ARRAY(SELECT id FROM stage_changes WHERE id = ANY (pending) AND deal_id <> ALL (stale));
                END IF;
                WHILE cardinality(pending) > 0 LOOP
                    WITH entered AS (
                        SELECT DISTINCT ON (c.deal_id) c.*, s.pipeline_id, s.kind, s.position
                          FROM stage_changes c JOIN stages s ON s.id = c.to_stage_id
                         WHERE c.id = ANY (pending)
                         ORDER BY c.deal_id, c.changed_at, c.id
                    ), ended AS (
                        -- The deal's current visit, and its visits not yet advanced to the stages
                        -- of lower position (a deal stays in its pipeline), both by index: not the
                        -- deal's whole history, only its visits that no later entry has passed.
                        UPDATE stage_visits v
                           SET exited_at = coalesce(v.exited_at, e.changed_at),
                               advanced = v.advanced OR (e.kind <> 'LOST' AND s.position < e.position)
                          FROM entered e
                          JOIN LATERAL (
                              SELECT o.id FROM stage_visits o WHERE o.deal_id = e.deal_id AND o.exited_at IS NULL
                              UNION
                              SELECT u.id FROM stages l
                                JOIN stage_visits u ON u.deal_id = e.deal_id AND u.stage_id = l.id AND NOT u.advanced
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
                    pending := ARRAY(SELECT unnest(pending) EXCEPT SELECT unnest(added));
                END LOOP;
                RETURN taken;
            END
            $fn$`);
        await queryRunner.query(rebuild(true));
        await queryRunner.query(followDeletion(true));
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(followDeletion(false));
        await queryRunner.query(rebuild(false));
        await queryRunner.query(`DROP FUNCTION stage_visits_catch_up(int)`);
        await queryRunner.query(`DROP TRIGGER stage_visits_defer ON stage_changes`);
        await queryRunner.query(`DROP FUNCTION stage_visits_defer()`);
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_append() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE
                entered stages%ROWTYPE;
                known boolean;
                later boolean;
                previous_entry timestamptz;
            BEGIN
                SELECT coalesce(bool_or(id = NEW.id), false), coalesce(bool_or((entered_at, id) > (NEW.changed_at, NEW.id)), false),
                       max(entered_at) FILTER (WHERE stage_id = NEW.to_stage_id)
                  INTO known, later, previous_entry
                  FROM stage_visits WHERE deal_id = NEW.deal_id;
                IF known THEN
                    RETURN NULL;
                END IF;
                IF later THEN
                    PERFORM stage_visits_rebuild(ARRAY[NEW.deal_id]);
                    RETURN NULL;
                END IF;
                SELECT * INTO entered FROM stages WHERE id = NEW.to_stage_id;
                UPDATE stage_visits v
                   SET exited_at = coalesce(v.exited_at, NEW.changed_at),
                       advanced = v.advanced OR (entered.kind <> 'LOST' AND s.position < entered.position)
                  FROM stages s
                 WHERE v.deal_id = NEW.deal_id AND s.id = v.stage_id
                   AND (v.exited_at IS NULL OR (NOT v.advanced AND entered.kind <> 'LOST' AND s.position < entered.position));
                INSERT INTO stage_visits (id, workspace_id, deal_id, pipeline_id, stage_id, from_stage_id, entered_at, exited_at,
                                          previous_entry_at, advanced, live)
                VALUES (NEW.id, NEW.workspace_id, NEW.deal_id, entered.pipeline_id, NEW.to_stage_id, NEW.from_stage_id, NEW.changed_at, NULL,
                        previous_entry, false, coalesce((SELECT deleted_at IS NULL FROM deals WHERE id = NEW.deal_id), true));
                RETURN NULL;
            END
            $fn$`);
        await queryRunner.query(`CREATE TRIGGER stage_visits_after_insert AFTER INSERT ON stage_changes
            FOR EACH ROW EXECUTE FUNCTION stage_visits_append()`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_unadvanced"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_open"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_deal"`);
        await queryRunner.query(`CREATE INDEX "stage_visits_deal" ON "stage_visits" ("deal_id") `);
        await queryRunner.query(`DROP TABLE "stage_visit_backlog"`);
    }

}

/** The visits of some deals recomputed from the ledger; `locked`: under the upkeep lock. */
const rebuild = (locked: boolean) => `
    CREATE OR REPLACE FUNCTION stage_visits_rebuild(deal_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        ${locked ? `PERFORM pg_advisory_xact_lock(${VISITS_LOCK});` : ''}
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
    $fn$`;

/** A deal's visits leave (or rejoin) the reports with its deletion; `locked`: under the upkeep lock. */
const followDeletion = (locked: boolean) => `
    CREATE OR REPLACE FUNCTION stage_visits_follow_deletion() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        ${locked ? `PERFORM pg_advisory_xact_lock(${VISITS_LOCK});` : ''}
        UPDATE stage_visits SET live = (NEW.deleted_at IS NULL) WHERE deal_id = NEW.id;
        RETURN NULL;
    END
    $fn$`;
