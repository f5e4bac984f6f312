import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateStageVisits1795731729407 implements MigrationInterface {
    name = 'CreateStageVisits1795731729407'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "stage_visits" ("id" uuid NOT NULL, "workspace_id" text NOT NULL, "deal_id" uuid NOT NULL, "pipeline_id" uuid NOT NULL, "stage_id" uuid NOT NULL, "from_stage_id" uuid, "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "exited_at" TIMESTAMP WITH TIME ZONE, "previous_entry_at" TIMESTAMP WITH TIME ZONE, "advanced" boolean NOT NULL, "live" boolean NOT NULL, CONSTRAINT "PK_32678cb970fc76c54406cb27683" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "stage_visits_deal" ON "stage_visits"  ("deal_id") `);
        await queryRunner.query(`CREATE INDEX "stage_visits_current" ON "stage_visits"  ("stage_id", "deal_id", "from_stage_id") WHERE live AND exited_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "stage_visits_exited" ON "stage_visits"  ("stage_id", "exited_at", "entered_at") WHERE live AND exited_at IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "stage_visits_entered" ON "stage_visits"  ("stage_id", "entered_at", "previous_entry_at", "advanced") WHERE live`);
        await queryRunner.query(`ALTER TABLE "stage_visits" ADD CONSTRAINT "FK_32678cb970fc76c54406cb27683" FOREIGN KEY ("id") REFERENCES "stage_changes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

        // Hand-added below the generated part (TypeORM does not model triggers): the
        // functions and triggers that keep stage_visits in step with the ledger, then a
        // backfill. A change appended after a deal's latest (every API write) updates the
        // deal's few visits in place; anything else (a backdated or out-of-order change, an
        // UPDATE of the ledger) rebuilds the visits of the deals it touched from the ledger.
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_rebuild(deal_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
            BEGIN
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
            $fn$`);
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
                    RETURN NULL; -- already summarised by a rebuild earlier in this statement
                END IF;
                IF later THEN
                    PERFORM stage_visits_rebuild(ARRAY[NEW.deal_id]);
                    RETURN NULL;
                END IF;
                SELECT * INTO entered FROM stages WHERE id = NEW.to_stage_id;
                -- The change ends the deal's current visit and, unless it is a loss, advances
                -- every earlier visit to a stage of lower position.
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
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_rebuild_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM stage_visits_rebuild(ARRAY(SELECT DISTINCT deal_id FROM changed));
                RETURN NULL;
            END
            $fn$`);
        await queryRunner.query(`CREATE TRIGGER stage_visits_after_insert AFTER INSERT ON stage_changes
            FOR EACH ROW EXECUTE FUNCTION stage_visits_append()`);
        await queryRunner.query(`CREATE TRIGGER stage_visits_after_update AFTER UPDATE ON stage_changes
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_visits_rebuild_changed()`);
        await queryRunner.query(`
            CREATE FUNCTION stage_visits_follow_deletion() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                UPDATE stage_visits SET live = (NEW.deleted_at IS NULL) WHERE deal_id = NEW.id;
                RETURN NULL;
            END
            $fn$`);
        await queryRunner.query(`CREATE TRIGGER stage_visits_after_deal_deletion AFTER UPDATE OF deleted_at ON deals
            FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at) EXECUTE FUNCTION stage_visits_follow_deletion()`);
        await queryRunner.query(`
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
            WINDOW w AS (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER stage_visits_after_deal_deletion ON deals`);
        await queryRunner.query(`DROP TRIGGER stage_visits_after_update ON stage_changes`);
        await queryRunner.query(`DROP TRIGGER stage_visits_after_insert ON stage_changes`);
        await queryRunner.query(`DROP FUNCTION stage_visits_follow_deletion()`);
        await queryRunner.query(`DROP FUNCTION stage_visits_rebuild_changed()`);
        await queryRunner.query(`DROP FUNCTION stage_visits_append()`);
        await queryRunner.query(`DROP FUNCTION stage_visits_rebuild(uuid[])`);
        await queryRunner.query(`ALTER TABLE "stage_visits" DROP CONSTRAINT "FK_32678cb970fc76c54406cb27683"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_entered"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_exited"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_current"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_deal"`);
        await queryRunner.query(`DROP TABLE "stage_visits"`);
    }

}
