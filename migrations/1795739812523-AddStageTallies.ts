import { MigrationInterface, QueryRunner } from "typeorm";

/** Advisory lock key of tally compaction (one compactor at a time). */
const TALLY_LOCK = 7216538;

export class AddStageTallies1795739812523 implements MigrationInterface {
    name = 'AddStageTallies1795739812523'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "stage_tallies" ("stage_id" uuid NOT NULL, "day" date NOT NULL, "first_entries" integer NOT NULL, "advanced_first_entries" integer NOT NULL, "exits" integer NOT NULL, "exit_time" interval NOT NULL, CONSTRAINT "PK_b034ab04c24ea521875174bb72c" PRIMARY KEY ("stage_id", "day"))`);
        await queryRunner.query(`CREATE TABLE "stage_tally_deltas" ("id" BIGSERIAL NOT NULL, "stage_id" uuid NOT NULL, "day" date NOT NULL, "first_entries" integer NOT NULL, "advanced_first_entries" integer NOT NULL, "exits" integer NOT NULL, "exit_time" interval NOT NULL, CONSTRAINT "PK_2611bf43407c628983323452d5a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "stage_tally_deltas_stage_day" ON "stage_tally_deltas"  ("stage_id", "day") `);
        await queryRunner.query(`CREATE INDEX "stage_visits_reentered" ON "stage_visits"  ("stage_id", "entered_at", "previous_entry_at", "advanced") WHERE live AND previous_entry_at IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "stage_tallies" ADD CONSTRAINT "FK_22794537f7ba85743bce2d45340" FOREIGN KEY ("stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

        // Hand-added below the generated part (TypeORM does not model functions or triggers).
        // What a set of visits adds to the tallies: first entries (and whether they advanced)
        // on the UTC day of entry, exits and their duration on the UTC day of exit.
        const contribution = (visits: string, sign: string) => `
            SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, ${sign} AS first_entries,
                   ${sign} * advanced::int AS advanced_first_entries, 0 AS exits, interval '0' AS exit_time
            FROM ${visits} WHERE live AND previous_entry_at IS NULL
            UNION ALL
            SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, ${sign}, ${sign} * (exited_at - entered_at)
            FROM ${visits} WHERE live AND exited_at IS NOT NULL`;
        const summed = (parts: string) => `
            SELECT stage_id, day, sum(first_entries) AS first_entries, sum(advanced_first_entries) AS advanced_first_entries,
                   sum(exits) AS exits, sum(exit_time) AS exit_time
            FROM (${parts}) parts GROUP BY stage_id, day`;
        // Statement triggers append one delta row per (stage, day) a statement touched; a
        // change that nets to nothing (an exit already set, a re-entry advancing) adds none.
        const follow = (event: 'insert' | 'update' | 'delete', parts: string) => `
            CREATE FUNCTION stage_tallies_follow_${event}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                INSERT INTO stage_tally_deltas (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
                SELECT * FROM (${summed(parts)}) d
                WHERE (d.first_entries, d.advanced_first_entries, d.exits, d.exit_time) <> (0, 0, 0, interval '0');
                RETURN NULL;
            END
            $fn$`;
        await queryRunner.query(follow('insert', contribution('new_visits', '1')));
        await queryRunner.query(follow('delete', contribution('old_visits', '-1')));
        await queryRunner.query(follow('update', `${contribution('new_visits', '1')} UNION ALL ${contribution('old_visits', '-1')}`));
        await queryRunner.query(`CREATE TRIGGER stage_tallies_after_insert AFTER INSERT ON stage_visits
            REFERENCING NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_insert()`);
        await queryRunner.query(`CREATE TRIGGER stage_tallies_after_delete AFTER DELETE ON stage_visits
            REFERENCING OLD TABLE AS old_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_delete()`);
        await queryRunner.query(`CREATE TRIGGER stage_tallies_after_update AFTER UPDATE ON stage_visits
            REFERENCING OLD TABLE AS old_visits NEW TABLE AS new_visits FOR EACH STATEMENT EXECUTE FUNCTION stage_tallies_follow_update()`);

        // Folds pending deltas into the tallies, oldest first, at most `batch` of them; one
        // caller at a time (the others return 0 at once). Returns how many it folded.
        await queryRunner.query(`
            CREATE FUNCTION stage_tallies_compact(batch int) RETURNS int LANGUAGE plpgsql AS $fn$
            DECLARE
                folded int;
            BEGIN
                IF NOT pg_try_advisory_xact_lock(${TALLY_LOCK}) THEN
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
            $fn$`);
        // Recounts the tallies of some stages from their visits (the backfill below; the seed
        // script after writing visits with triggers off).
        await queryRunner.query(`
            CREATE FUNCTION stage_tallies_rebuild(stage_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM pg_advisory_xact_lock(${TALLY_LOCK});
                DELETE FROM stage_tally_deltas WHERE stage_id = ANY(stage_ids);
                DELETE FROM stage_tallies WHERE stage_id = ANY(stage_ids);
                INSERT INTO stage_tallies (stage_id, day, first_entries, advanced_first_entries, exits, exit_time)
                ${summed(contribution('(SELECT * FROM stage_visits WHERE stage_id = ANY(stage_ids)) v', '1'))};
            END
            $fn$`);
        await queryRunner.query(`SELECT stage_tallies_rebuild(ARRAY(SELECT id FROM stages))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const event of ['insert', 'update', 'delete']) {
            await queryRunner.query(`DROP TRIGGER stage_tallies_after_${event} ON stage_visits`);
            await queryRunner.query(`DROP FUNCTION stage_tallies_follow_${event}()`);
        }
        await queryRunner.query(`DROP FUNCTION stage_tallies_compact(int)`);
        await queryRunner.query(`DROP FUNCTION stage_tallies_rebuild(uuid[])`);
        await queryRunner.query(`ALTER TABLE "stage_tallies" DROP CONSTRAINT "FK_22794537f7ba85743bce2d45340"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_reentered"`);
        await queryRunner.query(`DROP INDEX "public"."stage_tally_deltas_stage_day"`);
        await queryRunner.query(`DROP TABLE "stage_tally_deltas"`);
        await queryRunner.query(`DROP TABLE "stage_tallies"`);
    }

}
