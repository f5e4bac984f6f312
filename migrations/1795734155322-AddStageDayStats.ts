import { MigrationInterface, QueryRunner } from "typeorm";

export class AddStageDayStats1795734155322 implements MigrationInterface {
    name = 'AddStageDayStats1795734155322'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "stage_day_stats" ("stage_id" uuid NOT NULL, "day" date NOT NULL, "entries" integer NOT NULL DEFAULT '0', "advanced_entries" integer NOT NULL DEFAULT '0', "exits" integer NOT NULL DEFAULT '0', "exit_time" interval NOT NULL DEFAULT '0', CONSTRAINT "PK_6c971f5be74e964e33d36764593" PRIMARY KEY ("stage_id", "day"))`);
        await queryRunner.query(`CREATE INDEX "stage_visits_reentered" ON "stage_visits"  ("stage_id", "previous_entry_at", "entered_at", "advanced") WHERE live AND previous_entry_at IS NOT NULL`);

        // Hand-added below the generated part (TypeORM does not model triggers): a row
        // trigger on stage_visits takes out what a visit counted before a change and adds
        // what it counts after, so stage_day_stats always sums the live visits; then a
        // backfill from the visits already there.
        await queryRunner.query(`
            CREATE FUNCTION stage_day_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE
                entry_changed boolean := TG_OP <> 'UPDATE' OR OLD.live IS DISTINCT FROM NEW.live OR OLD.stage_id <> NEW.stage_id
                    OR OLD.entered_at <> NEW.entered_at OR OLD.advanced <> NEW.advanced;
                exit_changed boolean := TG_OP <> 'UPDATE' OR OLD.live IS DISTINCT FROM NEW.live OR OLD.stage_id <> NEW.stage_id
                    OR OLD.entered_at <> NEW.entered_at OR OLD.exited_at IS DISTINCT FROM NEW.exited_at;
            BEGIN
                IF TG_OP <> 'INSERT' AND OLD.live THEN
                    IF entry_changed THEN
                        UPDATE stage_day_stats SET entries = entries - 1, advanced_entries = advanced_entries - OLD.advanced::int
                         WHERE stage_id = OLD.stage_id AND day = (OLD.entered_at AT TIME ZONE 'UTC')::date;
                    END IF;
                    IF exit_changed AND OLD.exited_at IS NOT NULL THEN
                        UPDATE stage_day_stats SET exits = exits - 1, exit_time = exit_time - (OLD.exited_at - OLD.entered_at)
                         WHERE stage_id = OLD.stage_id AND day = (OLD.exited_at AT TIME ZONE 'UTC')::date;
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' AND NEW.live THEN
                    IF entry_changed THEN
                        INSERT INTO stage_day_stats (stage_id, day, entries, advanced_entries)
                        VALUES (NEW.stage_id, (NEW.entered_at AT TIME ZONE 'UTC')::date, 1, NEW.advanced::int)
                        ON CONFLICT (stage_id, day) DO UPDATE SET entries = stage_day_stats.entries + 1,
                            advanced_entries = stage_day_stats.advanced_entries + EXCLUDED.advanced_entries;
                    END IF;
                    IF exit_changed AND NEW.exited_at IS NOT NULL THEN
                        INSERT INTO stage_day_stats (stage_id, day, exits, exit_time)
                        VALUES (NEW.stage_id, (NEW.exited_at AT TIME ZONE 'UTC')::date, 1, NEW.exited_at - NEW.entered_at)
                        ON CONFLICT (stage_id, day) DO UPDATE SET exits = stage_day_stats.exits + 1,
                            exit_time = stage_day_stats.exit_time + EXCLUDED.exit_time;
                    END IF;
                END IF;
                RETURN NULL;
            END
            $fn$`);
        await queryRunner.query(`CREATE TRIGGER stage_day_stats_after_change AFTER INSERT OR UPDATE OR DELETE ON stage_visits
            FOR EACH ROW EXECUTE FUNCTION stage_day_stats_follow()`);
        await queryRunner.query(`
            INSERT INTO stage_day_stats (stage_id, day, entries, advanced_entries, exits, exit_time)
            SELECT stage_id, day, sum(entries), sum(advanced_entries), sum(exits), sum(exit_time)
            FROM (
                SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, 1 AS entries, advanced::int AS advanced_entries,
                       0 AS exits, interval '0' AS exit_time
                FROM stage_visits WHERE live
                UNION ALL
                SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, 1, exited_at - entered_at
                FROM stage_visits WHERE live AND exited_at IS NOT NULL
            ) parts
            GROUP BY stage_id, day`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER stage_day_stats_after_change ON stage_visits`);
        await queryRunner.query(`DROP FUNCTION stage_day_stats_follow()`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_reentered"`);
        await queryRunner.query(`DROP TABLE "stage_day_stats"`);
    }

}
