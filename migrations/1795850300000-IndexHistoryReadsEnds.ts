import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Snapshots and flows read from indexes alone: the open deals' index carries `updated_at`,
 * `expected_close_date` and `id` (which open deals are unchanged since a moment), and the field
 * history's index covers every state but a creation, with the status and the change's type
 * (how a deal that moved in or out stood at the other end), replacing the OPEN-only one.
 * Each is built under a new name before the old one goes, so readers wait only for the swap.
 */
export class IndexHistoryReadsEnds1795850300000 implements MigrationInterface {
    name = 'IndexHistoryReadsEnds1795850300000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "deals_open_by_stage_next" ON "deals"  ("pipeline_id", "stage_id", "value", "stage_entered_at", "last_activity_at", "status", "updated_at", "expected_close_date", "id") WHERE status = 'OPEN' AND deleted_at IS NULL`);
        await queryRunner.query(`DROP INDEX "public"."deals_open_by_stage"`);
        await queryRunner.query(`ALTER INDEX "public"."deals_open_by_stage_next" RENAME TO "deals_open_by_stage"`);
        await queryRunner.query(`CREATE INDEX "deal_history_by_time" ON "deal_history"  ("pipeline_id", "valid_to", "valid_from", "status", "type", "stage_id", "value", "expected_close_date", "deal_id") WHERE status IS NOT NULL`);
        await queryRunner.query(`DROP INDEX "public"."deal_history_open"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "deal_history_open" ON "deal_history"  ("pipeline_id", "valid_to", "valid_from", "stage_id", "value", "expected_close_date", "deal_id") WHERE status = 'OPEN'`);
        await queryRunner.query(`DROP INDEX "public"."deal_history_by_time"`);
        await queryRunner.query(`CREATE INDEX "deals_open_by_stage_prev" ON "deals"  ("pipeline_id", "stage_id", "value", "stage_entered_at", "last_activity_at", "status") WHERE status = 'OPEN' AND deleted_at IS NULL`);
        await queryRunner.query(`DROP INDEX "public"."deals_open_by_stage"`);
        await queryRunner.query(`ALTER INDEX "public"."deals_open_by_stage_prev" RENAME TO "deals_open_by_stage"`);
    }
}
