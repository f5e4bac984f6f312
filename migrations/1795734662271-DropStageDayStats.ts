import { MigrationInterface, QueryRunner } from "typeorm";
import { AddStageDayStats1795734155322 } from "./1795734155322-AddStageDayStats";

export class DropStageDayStats1795734662271 implements MigrationInterface {
    name = 'DropStageDayStats1795734662271'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Hand-added: the per-day counters were updated in place by every stage change, so
        // concurrent moves between the same stages locked the same rows in opposite orders
        // (deadlocks) and queued on them; the reports read the visits again instead.
        await queryRunner.query(`DROP TRIGGER stage_day_stats_after_change ON stage_visits`);
        await queryRunner.query(`DROP FUNCTION stage_day_stats_follow()`);
        await queryRunner.query(`DROP TABLE "stage_day_stats"`);
        await queryRunner.query(`DROP INDEX "public"."stage_visits_reentered"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Recreates the table, its trigger and the index, and fills the table again.
        await new AddStageDayStats1795734155322().up(queryRunner);
    }

}
