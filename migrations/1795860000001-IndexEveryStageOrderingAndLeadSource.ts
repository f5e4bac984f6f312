import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A board column, or `deals(filter: {stageIds})` (read as one range per stage), sorted by last
 * change or by title walked the workspace's index for that key and skipped every other stage's
 * deals (115–285 ms for a board's page on 1M deals, bench/plans.ts): each gets an index of the
 * stage's own, so every DealOrder field has one.
 *
 * A stage belongs to one pipeline. Without being told, the planner multiplies the shares of
 * `pipeline_id = …` and `stage_id = …` as if independent, expects a stage's deals to be a tenth
 * of what they are, and sorts them all instead of walking the stage's index: the statistics
 * object lets it know that stage_id decides pipeline_id.
 *
 * `leads(filter: {source})` walked the workspace's leads oldest first and skipped the other
 * sources' (110–263 ms on 1M leads for a source of 5 %, and the whole table for a rare one): a
 * source's leads get their own range in that order.
 */
export class IndexEveryStageOrderingAndLeadSource1795860000001 implements MigrationInterface {
  name = 'IndexEveryStageOrderingAndLeadSource1795860000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "deals_stage_by_updated" ON "deals" ("stage_id", "updated_at", "id") WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "deals_stage_by_title" ON "deals" ("stage_id", "title", "id") WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "leads_by_source" ON "leads" ("workspace_id", "source", "created_at", "id")`);
    await queryRunner.query('CREATE STATISTICS deals_stage_decides_pipeline (dependencies) ON stage_id, pipeline_id FROM deals');
    await queryRunner.query('ANALYZE deals');
    await queryRunner.query('ANALYZE leads');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP STATISTICS deals_stage_decides_pipeline');
    await queryRunner.query(`DROP INDEX "public"."leads_by_source"`);
    await queryRunner.query(`DROP INDEX "public"."deals_stage_by_title"`);
    await queryRunner.query(`DROP INDEX "public"."deals_stage_by_updated"`);
  }
}
