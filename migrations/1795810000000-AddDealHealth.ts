import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deal health: the STALLED event type, the marks that make it once per stage visit, and the
 * index that finds a deal's next step (an open activity due from now on).
 */
export class AddDealHealth1795810000000 implements MigrationInterface {
    name = 'AddDealHealth1795810000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "deal_stall_marks" ("deal_id" uuid NOT NULL, "workspace_id" text NOT NULL, "stage_entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_dca476f6eb158461afd18f36fad" PRIMARY KEY ("deal_id"))`);
        await queryRunner.query(`ALTER TYPE "public"."deal_event_type" ADD VALUE 'STALLED'`);
        await queryRunner.query(`CREATE INDEX "activities_next_step" ON "activities"  ("deal_id", "due_at") WHERE done_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."activities_next_step"`);
        await queryRunner.query(`DELETE FROM "deal_events" WHERE "type" = 'STALLED'`);
        await queryRunner.query(`CREATE TYPE "public"."deal_event_type_old" AS ENUM('CREATED', 'UPDATED', 'MOVED', 'WON', 'LOST', 'REOPENED', 'DELETED')`);
        await queryRunner.query(`ALTER TABLE "deal_events" ALTER COLUMN "type" TYPE "public"."deal_event_type_old" USING "type"::"text"::"public"."deal_event_type_old"`);
        await queryRunner.query(`DROP TYPE "public"."deal_event_type"`);
        await queryRunner.query(`ALTER TYPE "public"."deal_event_type_old" RENAME TO "deal_event_type"`);
        await queryRunner.query(`DROP TABLE "deal_stall_marks"`);
    }

}
