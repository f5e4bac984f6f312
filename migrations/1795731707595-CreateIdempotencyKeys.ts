import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateIdempotencyKeys1795731707595 implements MigrationInterface {
    name = 'CreateIdempotencyKeys1795731707595'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("workspace_id" text NOT NULL, "user_id" uuid NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "operation" text NOT NULL, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7cf608b7defdc2a054e51e6bf43" PRIMARY KEY ("workspace_id", "user_id", "key"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5e72f040fdc5efc8eef52a388c" ON "idempotency_keys"  ("created_at") `);
        await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD CONSTRAINT "FK_d91f6cda12b1b4864125fdc42f0" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP CONSTRAINT "FK_d91f6cda12b1b4864125fdc42f0"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5e72f040fdc5efc8eef52a388c"`);
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    }

}
