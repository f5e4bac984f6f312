import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Webhooks, their delivery attempts (the per-webhook queues) and where the queues' feed stands
 * in the event log. `webhook_queue_pos` orders each queue: drawn in seq order as events are
 * queued, kept by every retry of an event, drawn anew by a replay (which so queues behind).
 */
export class AddWebhooks1795820000000 implements MigrationInterface {
    name = 'AddWebhooks1795820000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "webhooks" ("workspace_id" text NOT NULL, "id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" text NOT NULL, "secret" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "event_types" "public"."deal_event_type" array, "pipeline_ids" uuid array, "from_seq" bigint NOT NULL DEFAULT '0', "until_seq" bigint, "last_delivered_seq" bigint, "failing_since" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_266b8a26e9a18fb5d471b1a4fd" ON "webhooks"  ("workspace_id", "created_at") `);
        await queryRunner.query(`CREATE TYPE "public"."webhook_delivery_status" AS ENUM('PENDING', 'DELIVERED', 'FAILED')`);
        await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" BIGSERIAL NOT NULL, "webhook_id" uuid NOT NULL, "delivery_id" uuid NOT NULL, "seq" bigint NOT NULL, "queue_pos" bigint NOT NULL, "attempt" integer NOT NULL, "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'PENDING', "http_status" integer, "error" text, "duration_ms" integer, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_newest" ON "webhook_deliveries"  ("webhook_id", "at", "id") `);
        await queryRunner.query(`CREATE INDEX "webhook_deliveries_queue" ON "webhook_deliveries"  ("webhook_id", "queue_pos", "attempt") WHERE status = 'PENDING'`);
        await queryRunner.query(`CREATE SEQUENCE "webhook_queue_pos"`);
        await queryRunner.query(`CREATE TABLE "webhook_feed" ("id" smallint NOT NULL, "position" bigint NOT NULL, CONSTRAINT "PK_3c7c40614fbe54040159b634d0c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "webhooks" ADD CONSTRAINT "FK_3ed8fd5f3708d4acac990ad2369" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2"`);
        await queryRunner.query(`ALTER TABLE "webhooks" DROP CONSTRAINT "FK_3ed8fd5f3708d4acac990ad2369"`);
        await queryRunner.query(`DROP TABLE "webhook_feed"`);
        await queryRunner.query(`DROP SEQUENCE "webhook_queue_pos"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_queue"`);
        await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_newest"`);
        await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
        await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_266b8a26e9a18fb5d471b1a4fd"`);
        await queryRunner.query(`DROP TABLE "webhooks"`);
    }

}
