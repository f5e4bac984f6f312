import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateGoals1795731289891 implements MigrationInterface {
    name = 'CreateGoals1795731289891'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."goal_metric" AS ENUM('WON_VALUE', 'WON_COUNT', 'NEW_DEALS', 'WIN_RATE', 'AVERAGE_DEAL_SIZE', 'SALES_CYCLE_DAYS')`);
        await queryRunner.query(`CREATE TABLE "goals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" text NOT NULL, "metric" "public"."goal_metric" NOT NULL, "target" numeric(18,4) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "pipeline_id" uuid, "owner_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_71b031af2067a86563de8293ca" CHECK ("ends_at" > "starts_at"), CONSTRAINT "CHK_0ff6f16c345ac6988e7bf92a97" CHECK ("target" >= 0), CONSTRAINT "PK_26e17b251afab35580dff769223" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5be99af79326ab0721c5b32653" ON "goals"  ("owner_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_bf38c20df3cee403d7e879e818" ON "goals"  ("pipeline_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_f832ad6cb9ac9a67b704519132" ON "goals"  ("workspace_id", "starts_at") `);
        await queryRunner.query(`ALTER TABLE "goals" ADD CONSTRAINT "FK_296f9d50ffdc75cb61735225aa1" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "goals" ADD CONSTRAINT "FK_bf38c20df3cee403d7e879e818b" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "goals" ADD CONSTRAINT "FK_5be99af79326ab0721c5b326534" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "goals" DROP CONSTRAINT "FK_5be99af79326ab0721c5b326534"`);
        await queryRunner.query(`ALTER TABLE "goals" DROP CONSTRAINT "FK_bf38c20df3cee403d7e879e818b"`);
        await queryRunner.query(`ALTER TABLE "goals" DROP CONSTRAINT "FK_296f9d50ffdc75cb61735225aa1"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f832ad6cb9ac9a67b704519132"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_bf38c20df3cee403d7e879e818"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5be99af79326ab0721c5b32653"`);
        await queryRunner.query(`DROP TABLE "goals"`);
        await queryRunner.query(`DROP TYPE "public"."goal_metric"`);
    }

}
