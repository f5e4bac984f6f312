import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyDatabaseEngine } from '../src/infra/db/sql-files';

/**
 * The functions and triggers the database runs (stage visits and their fold, stage tallies,
 * the event log's writer lock) now live as current definitions in `src/features/<feature>/sql/*.sql`,
 * not spread over the migrations that first wrote them. This migration applies those files
 * (each creates or replaces what it defines). To change a definition, edit its file and add a
 * migration like this one, recording the files' new digest: test/reports/database-engine.test.ts
 * fails when the latest such migration records another digest than the files have, or when a
 * migrated database differs from the files.
 */
export const ENGINE_DIGEST = 'b88117ef025db7f5';

export class ApplyDatabaseEngine1795840000000 implements MigrationInterface {
  name = 'ApplyDatabaseEngine1795840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await applyDatabaseEngine((sql) => queryRunner.query(sql));
  }

  public async down(): Promise<void> {
    // The definitions it applied equal the ones the earlier migrations left: nothing to undo.
  }
}
