import { MigrationInterface, QueryRunner } from 'typeorm';

/** The workspace's ordering indexes that a pipeline's list walks when its pipeline has none of its order. */
const ORDERINGS: [name: string, column: string][] = [
  ['deals_by_value', 'value'],
  ['deals_by_updated', 'updated_at'],
  ['deals_by_stage_entry', 'stage_entered_at'],
  ['deals_by_title', 'title'],
];

/**
 * A pipeline's list in an order its pipeline has no index for walks the workspace's index of
 * that order, checking pipeline, status and lead source along a capped walk (capped-walk.ts).
 * Carried by the index, they are checked there: the walk reads a table row for each match, not
 * for each of up to thousands of rows it passes.
 */
export class DealOrderIndexesCarryListFilters1795970000000 implements MigrationInterface {
  name = 'DealOrderIndexesCarryListFilters1795970000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, column] of ORDERINGS) {
      await queryRunner.query(`CREATE INDEX "${name}_next" ON "deals" ("workspace_id", "${column}", "id")
        INCLUDE ("pipeline_id", "status", "lead_source") WHERE deleted_at IS NULL`);
      await queryRunner.query(`DROP INDEX "public"."${name}"`);
      await queryRunner.query(`ALTER INDEX "public"."${name}_next" RENAME TO "${name}"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, column] of ORDERINGS) {
      await queryRunner.query(`CREATE INDEX "${name}_prev" ON "deals" ("workspace_id", "${column}", "id") WHERE deleted_at IS NULL`);
      await queryRunner.query(`DROP INDEX "public"."${name}"`);
      await queryRunner.query(`ALTER INDEX "public"."${name}_prev" RENAME TO "${name}"`);
    }
  }
}
