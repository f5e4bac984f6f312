import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pipeline's deals by expected close date walked the workspace's close-date index and skipped
 * every other pipeline's deals: on 1M deals (ten pipelines) a page read 12,608 rows, 16–174 ms,
 * descending (bench/plans.ts), and either direction as slow whenever a pipeline's dates lie away
 * from the walk's start. Each direction gets an index of the pipeline's own, as a stage has.
 * The keys are the expressions deal.query.ts sorts by (a missing date last in either
 * direction), which TypeORM cannot model: hand-added.
 */
export class IndexPipelineCloseDateOrderings1795870000000 implements MigrationInterface {
  name = 'IndexPipelineCloseDateOrderings1795870000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, end] of [['asc', 'infinity'], ['desc', '-infinity']]) {
      await queryRunner.query(`CREATE INDEX "deals_pipeline_by_close_date_${name}" ON "deals"
        ("pipeline_id", (COALESCE(expected_close_date, '${end}')), "id") WHERE deleted_at IS NULL`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."deals_pipeline_by_close_date_desc"`);
    await queryRunner.query(`DROP INDEX "public"."deals_pipeline_by_close_date_asc"`);
  }
}
