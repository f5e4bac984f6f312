import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's stage columns lose their foreign keys and the two indexes that served only them.
 * Every stage change is appended by the statement that moves the deal, which takes the stage
 * entered from `stages` (in the deal's pipeline) and the stage left from the locked deal row
 * (whose own key checks it), and no stage is ever deleted. The keys made each move share-lock
 * the rows of the two stages, which every concurrent move into or out of them locks too, and
 * their checks and indexes were about a tenth of the ledger's part of a move (bench/RESULTS.md).
 * Nothing reads the ledger by stage: reports read the stage visits.
 */
export class StageChangesWithoutStageKeys1795910000000 implements MigrationInterface {
  name = 'StageChangesWithoutStageKeys1795910000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stage_changes" DROP CONSTRAINT "FK_cca5cd8bf7bbdb8faa294197245"`);
    await queryRunner.query(`ALTER TABLE "stage_changes" DROP CONSTRAINT "FK_f40c4a2cdf9b8e7bfd3dae96912"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cca5cd8bf7bbdb8faa29419724"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2c799a6a923898e85b8e20db57"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_2c799a6a923898e85b8e20db57" ON "stage_changes" ("to_stage_id", "changed_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_cca5cd8bf7bbdb8faa29419724" ON "stage_changes" ("from_stage_id") `);
    await queryRunner.query(`ALTER TABLE "stage_changes" ADD CONSTRAINT "FK_f40c4a2cdf9b8e7bfd3dae96912" FOREIGN KEY ("to_stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "stage_changes" ADD CONSTRAINT "FK_cca5cd8bf7bbdb8faa294197245" FOREIGN KEY ("from_stage_id") REFERENCES "stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}
