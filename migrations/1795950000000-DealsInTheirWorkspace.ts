import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deal's stage and pipeline are in its workspace, held by the database: each foreign key
 * names the workspace with the id. A list of one of the viewer's stages or pipelines then
 * holds the viewer's deals only, so it checks that stage or pipeline once instead of each
 * deal's workspace (deal.query.ts). That check on every deal offered the planner the
 * workspace's indexes for a pipeline's list, and it took one that depended on the day's
 * statistics: a pipeline's OPEN deals read 0.58–1.17× PostGraphile's rate on the same data.
 * The plain keys stay: tools that read the schema's relations (GraphQL servers over
 * PostgreSQL, clients' own queries) name a deal's stage and pipeline by them.
 */
export class DealsInTheirWorkspace1795950000000 implements MigrationInterface {
  name = 'DealsInTheirWorkspace1795950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pipelines" ADD CONSTRAINT "pipelines_in_workspace" UNIQUE ("id", "workspace_id")`);
    await queryRunner.query(`ALTER TABLE "stages" ADD CONSTRAINT "stages_in_workspace" UNIQUE ("id", "workspace_id")`);
    await queryRunner.query(`ALTER TABLE "deals" ADD CONSTRAINT "deals_pipeline_in_workspace" FOREIGN KEY ("pipeline_id", "workspace_id")
      REFERENCES "pipelines"("id", "workspace_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "deals" ADD CONSTRAINT "deals_stage_in_workspace" FOREIGN KEY ("stage_id", "workspace_id")
      REFERENCES "stages"("id", "workspace_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deals" DROP CONSTRAINT "deals_stage_in_workspace"`);
    await queryRunner.query(`ALTER TABLE "deals" DROP CONSTRAINT "deals_pipeline_in_workspace"`);
    await queryRunner.query(`ALTER TABLE "stages" DROP CONSTRAINT "stages_in_workspace"`);
    await queryRunner.query(`ALTER TABLE "pipelines" DROP CONSTRAINT "pipelines_in_workspace"`);
  }
}
