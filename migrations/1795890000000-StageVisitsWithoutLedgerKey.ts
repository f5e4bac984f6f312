import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyDatabaseEngine } from '../src/infra/db/sql-files';

/**
 * The stage-visit fold checked a foreign key for every visit it appended, locking the ledger row
 * each time, and read the whole ledger to find a few thousand pending changes when the planner
 * expected that to be cheaper. Removed history rows now rebuild their deals' visits through a
 * trigger (`stage_visits_after_ledger_deletion`), as edited ones already did, and the fold probes
 * the ledger by id (src/features/reports/sql/stage-visits.sql).
 */
export const ENGINE_DIGEST = '9a9de50d329f3e40';

export class StageVisitsWithoutLedgerKey1795890000000 implements MigrationInterface {
  name = 'StageVisitsWithoutLedgerKey1795890000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stage_visits" DROP CONSTRAINT "FK_32678cb970fc76c54406cb27683"`);
    // Visits whose change is gone could not exist under the key; none to clear.
    await applyDatabaseEngine((sql) => queryRunner.query(sql));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER stage_visits_after_ledger_deletion ON stage_changes');
    await queryRunner.query(`ALTER TABLE "stage_visits" ADD CONSTRAINT "FK_32678cb970fc76c54406cb27683" FOREIGN KEY ("id")
      REFERENCES "stage_changes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}
