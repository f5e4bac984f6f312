import { MigrationInterface, QueryRunner } from "typeorm";

export class IndexMetricsReads1795740986439 implements MigrationInterface {
    name = 'IndexMetricsReads1795740986439'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."deals_pipeline_status"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_current"`);
        await queryRunner.query(`CREATE INDEX "deals_open_by_stage" ON "deals"  ("pipeline_id", "stage_id", "value", "stage_entered_at", "last_activity_at", "status") WHERE status = 'OPEN' AND deleted_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "deals_pipeline_status" ON "deals"  ("pipeline_id", "status", "closed_at", "value", "created_at") WHERE deleted_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "stage_visits_current" ON "stage_visits"  ("stage_id", "entered_at", "from_stage_id") WHERE live AND exited_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."stage_visits_current"`);
        await queryRunner.query(`DROP INDEX "public"."deals_pipeline_status"`);
        await queryRunner.query(`DROP INDEX "public"."deals_open_by_stage"`);
        await queryRunner.query(`CREATE INDEX "stage_visits_current" ON "stage_visits" USING btree ("stage_id", "deal_id", "from_stage_id") WHERE (live AND (exited_at IS NULL))`);
        await queryRunner.query(`CREATE INDEX "deals_pipeline_status" ON "deals" USING btree ("pipeline_id", "status", "closed_at") WHERE (deleted_at IS NULL)`);
    }

}
