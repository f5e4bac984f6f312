import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deal's timeline keeps its newest entries from each source, so it reads a deal's events only
 * back to the oldest entry its page can hold: the deal's events in time order, with the
 * workspace as before (DealEventsByDeal).
 */
export class DealEventsByDealInTime1795960000000 implements MigrationInterface {
  name = 'DealEventsByDealInTime1795960000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "deal_events_by_deal_next" ON "deal_events" ("deal_id", "workspace_id", "occurred_at")`);
    await queryRunner.query(`DROP INDEX "public"."deal_events_by_deal"`);
    await queryRunner.query(`ALTER INDEX "public"."deal_events_by_deal_next" RENAME TO "deal_events_by_deal"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "deal_events_by_deal_prev" ON "deal_events" ("deal_id", "workspace_id")`);
    await queryRunner.query(`DROP INDEX "public"."deal_events_by_deal"`);
    await queryRunner.query(`ALTER INDEX "public"."deal_events_by_deal_prev" RENAME TO "deal_events_by_deal"`);
  }
}
