import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A board column sorted by expected close date or by time in stage walked the workspace's
 * index for that key and skipped every other stage's deals: on 1M deals 3.5–7 s for one page,
 * as a stage's close dates cluster away from the walk's start (bench/plans.ts). Each gets an
 * index of the stage's own. The close-date keys are the expressions deal.query.ts sorts by (a
 * missing date last in either direction), which TypeORM cannot model: hand-added.
 */
export class IndexStageColumnOrderings1795850500001 implements MigrationInterface {
    name = 'IndexStageColumnOrderings1795850500001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const [name, end] of [['asc', 'infinity'], ['desc', '-infinity']]) {
            await queryRunner.query(`CREATE INDEX "deals_stage_by_close_date_${name}" ON "deals"
                ("stage_id", (COALESCE(expected_close_date, '${end}')), "id") WHERE deleted_at IS NULL`);
        }
        await queryRunner.query(`CREATE INDEX "deals_stage_by_entry" ON "deals" ("stage_id", "stage_entered_at", "id") WHERE deleted_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."deals_stage_by_entry"`);
        await queryRunner.query(`DROP INDEX "public"."deals_stage_by_close_date_desc"`);
        await queryRunner.query(`DROP INDEX "public"."deals_stage_by_close_date_asc"`);
    }
}
