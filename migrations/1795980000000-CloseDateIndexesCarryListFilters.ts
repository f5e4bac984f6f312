import { MigrationInterface, QueryRunner } from 'typeorm';

/** The workspace's close-date indexes, by the end a deal without a date takes in each direction. */
const ENDS: [name: string, missing: string][] = [['asc', 'infinity'], ['desc', '-infinity']];

/**
 * A workspace's deals of one lead source in an order no index of the source holds walk the
 * workspace's index of that order, the source (and status, pipeline) checked along a capped walk
 * (deal.query.ts, `alongWorkspace`). The close-date indexes carry those columns as the other
 * orderings' do (DealOrderIndexesCarryListFilters), so that walk too reads a row only per match.
 */
export class CloseDateIndexesCarryListFilters1795980000000 implements MigrationInterface {
  name = 'CloseDateIndexesCarryListFilters1795980000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The date itself too: PostgreSQL reads an index alone only when it holds every column the
    // statement names, and the key holds the expression over the date, not the date.
    for (const [end, missing] of ENDS) {
      await this.replace(queryRunner, end, missing, 'INCLUDE ("expected_close_date", "pipeline_id", "status", "lead_source")');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [end, missing] of ENDS) await this.replace(queryRunner, end, missing, '');
  }

  private async replace(queryRunner: QueryRunner, end: string, missing: string, include: string): Promise<void> {
    const name = `deals_by_close_date_${end}`;
    await queryRunner.query(`CREATE INDEX "${name}_next" ON "deals"
      ("workspace_id", COALESCE("expected_close_date", '${missing}'::timestamptz), "id") ${include} WHERE deleted_at IS NULL`);
    await queryRunner.query(`DROP INDEX "public"."${name}"`);
    await queryRunner.query(`ALTER INDEX "public"."${name}_next" RENAME TO "${name}"`);
  }
}
