import { MigrationInterface, QueryRunner } from "typeorm";

export class IndexBoardWithWorkspace1795732123599 implements MigrationInterface {
    name = 'IndexBoardWithWorkspace1795732123599'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."deals_board"`);
        await queryRunner.query(`CREATE INDEX "deals_board" ON "deals"  ("stage_id", "created_at", "id", "workspace_id") WHERE deleted_at IS NULL`);
    }

    // Reviewed: the generator listed the old columns out of order; this is the index as it was.
    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."deals_board"`);
        await queryRunner.query(`CREATE INDEX "deals_board" ON "deals" ("stage_id", "created_at", "id") WHERE deleted_at IS NULL`);
    }

}
