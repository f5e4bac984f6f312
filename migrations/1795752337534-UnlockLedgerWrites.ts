import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The ledger rows a move appends (stage_changes, deal_events) keep no foreign key to the
 * workspace or the acting user: each key check share-locks the referenced row, and every
 * concurrent move references the same workspace (and often the same user), so the moves
 * queued on those locks. The writer copies both from rows it holds (the locked deal, the
 * request's user); workspaces and users are never deleted. The indexes served only the keys.
 */
export class UnlockLedgerWrites1795752337534 implements MigrationInterface {
    name = 'UnlockLedgerWrites1795752337534'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deal_events" DROP CONSTRAINT "FK_5bbf5db1cdced9c481cd1542daf"`);
        await queryRunner.query(`ALTER TABLE "stage_changes" DROP CONSTRAINT "FK_aebb283e952bf156a7ef9fa2f1e"`);
        await queryRunner.query(`ALTER TABLE "stage_changes" DROP CONSTRAINT "FK_d8148bbe8ad5e61d5382cf68915"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_aebb283e952bf156a7ef9fa2f1"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d8148bbe8ad5e61d5382cf6891"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "IDX_d8148bbe8ad5e61d5382cf6891" ON "stage_changes" USING btree ("changed_by_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_aebb283e952bf156a7ef9fa2f1" ON "stage_changes" USING btree ("workspace_id") `);
        await queryRunner.query(`ALTER TABLE "stage_changes" ADD CONSTRAINT "FK_d8148bbe8ad5e61d5382cf68915" FOREIGN KEY ("changed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "stage_changes" ADD CONSTRAINT "FK_aebb283e952bf156a7ef9fa2f1e" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "deal_events" ADD CONSTRAINT "FK_5bbf5db1cdced9c481cd1542daf" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

}
