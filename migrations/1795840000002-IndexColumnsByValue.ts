import { MigrationInterface, QueryRunner } from "typeorm";

/** A board column ordered by value (the wallboard's biggest deals per stage) walks an index instead of sorting the column. */
export class IndexColumnsByValue1795840000002 implements MigrationInterface {
    name = 'IndexColumnsByValue1795840000002'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "deals_stage_by_value" ON "deals"  ("stage_id", "value", "id") WHERE deleted_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."deals_stage_by_value"`);
    }
}
