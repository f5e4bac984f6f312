import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyDatabaseEngine } from '../src/infra/db/sql-files';

/**
 * `deals(filter: {leadSource})` probed each deal's lead in list order: for a source with few
 * deals PostgreSQL expected its share of all converted deals and walked the whole list (28 s on
 * 1M deals, bench/plans.ts). A deal now carries its lead's source (kept by the triggers of
 * src/features/deals/sql/deal-lead-source.sql), indexed with the list's default order; the
 * planner's statistics then count each source's deals as they are.
 */
export const ENGINE_DIGEST = '53f2cd28a57af129';

export class DealLeadSource1795860000000 implements MigrationInterface {
  name = 'DealLeadSource1795860000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deals" ADD "lead_source" "public"."lead_source"`);
    await queryRunner.query(`UPDATE deals d SET lead_source = l.source FROM leads l WHERE l.id = d.lead_id`);
    await queryRunner.query(`CREATE INDEX "deals_by_lead_source" ON "deals" ("workspace_id", "lead_source", "created_at", "id")
      WHERE deleted_at IS NULL AND lead_source IS NOT NULL`);
    await applyDatabaseEngine((sql) => queryRunner.query(sql));
    await queryRunner.query('ANALYZE deals');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER leads_pass_source_to_deal ON leads');
    await queryRunner.query('DROP FUNCTION leads_pass_source_to_deal()');
    await queryRunner.query('DROP TRIGGER deals_copy_lead_source ON deals');
    await queryRunner.query('DROP FUNCTION deals_copy_lead_source()');
    await queryRunner.query(`DROP INDEX "public"."deals_by_lead_source"`);
    await queryRunner.query(`ALTER TABLE "deals" DROP COLUMN "lead_source"`);
  }
}
