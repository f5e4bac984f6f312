import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * `search` filters match anywhere in a text (ILIKE '%…%'), which no B-tree serves: on 1M deals
 * a search that finds few rows read every row of the workspace (bench/plans.ts). Trigram
 * indexes (pg_trgm, a contrib extension of PostgreSQL and of the embedded database) answer
 * such a pattern of three or more characters from the index. TypeORM cannot model a GIN
 * index with an operator class: the entities name them with `synchronize: false`.
 */
export class IndexTextSearch1795850500000 implements MigrationInterface {
    name = 'IndexTextSearch1795850500000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await queryRunner.query(`CREATE INDEX "deals_title_search" ON "deals" USING gin ("title" gin_trgm_ops) WHERE deleted_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "leads_text_search" ON "leads" USING gin ("name" gin_trgm_ops, "company" gin_trgm_ops, "email" gin_trgm_ops)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."leads_text_search"`);
        await queryRunner.query(`DROP INDEX "public"."deals_title_search"`);
    }
}
