import { MigrationInterface, QueryRunner } from "typeorm";

/** Tracked fields in DealField order: column and how the API shows it (as of this migration). */
const TRACKED: [string, string, (c: string) => string][] = [
    ['TITLE', 'title', (c) => c],
    ['VALUE', 'value', (c) => `${c}::numeric(14,2)::text`],
    ['STAGE', 'stage_id', (c) => `${c}::text`],
    ['STATUS', 'status', (c) => `${c}::text`],
    ['OWNER', 'owner_id', (c) => `(SELECT external_id FROM users WHERE id = ${c})`],
    ['EXPECTED_CLOSE_DATE', 'expected_close_date', (c) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`],
    ['LOST_REASON', 'lost_reason', (c) => c],
];

/** The `changes` between the columns b_<column> (before) and a_<column> (after) of a row. */
const changes = () => `to_jsonb(array_remove(ARRAY[${TRACKED.map(([field, column, shown]) =>
    `CASE WHEN b_${column} IS DISTINCT FROM a_${column} THEN jsonb_build_object('field', '${field}', 'from', ${shown(`b_${column}`)}, 'to', ${shown(`a_${column}`)}) END`,
).join(', ')}]::jsonb[], NULL))`;

/**
 * Field history for the deals that exist already, as far as it can be known: they are taken to
 * have held their current title, value, owner and close date since creation, while their stage
 * history gives stage, status and stage entry times (and the lost reason only while LOST).
 * One history row per creation, per later stage entry, and for a later change (an edit or the
 * deletion) up to `updated_at`; each row takes the `seq` of its event when the log still holds it,
 * and the events get the same `changes`.
 */
const BACKFILL = `
    WITH steps AS (
        SELECT sc.deal_id, sc.changed_at, sc.to_stage_id, sc.from_stage_id, sc.changed_by_id, s.kind::text::deal_status AS status,
               row_number() OVER w AS n, lag(sc.changed_at) OVER w AS prev_at, lag(sc.to_stage_id) OVER w AS prev_stage,
               lag(s.kind::text::deal_status) OVER w AS prev_status,
               row_number() OVER (PARTITION BY sc.deal_id ORDER BY sc.changed_at DESC, sc.id DESC) AS from_end
        FROM stage_changes sc JOIN stages s ON s.id = sc.to_stage_id
        WINDOW w AS (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id)
    ), entries AS (
        SELECT d.id AS deal_id, d.created_at AS valid_to, d.created_at AS valid_from, 'CREATED'::deal_event_type AS type,
               st.changed_by_id AS actor_id, NULL::uuid AS from_stage_id, st.to_stage_id,
               NULL::text AS b_title, NULL::numeric AS b_value, NULL::uuid AS b_stage_id, NULL::deal_status AS b_status,
               NULL::uuid AS b_owner_id, NULL::timestamptz AS b_expected_close_date, NULL::text AS b_lost_reason,
               NULL::timestamptz AS b_stage_entered_at,
               d.title AS a_title, d.value AS a_value, st.to_stage_id AS a_stage_id, st.status AS a_status, d.owner_id AS a_owner_id,
               d.expected_close_date AS a_expected_close_date, NULL::text AS a_lost_reason
        FROM deals d JOIN steps st ON st.deal_id = d.id AND st.n = 1
        UNION ALL
        SELECT d.id, st.changed_at, CASE WHEN st.n = 2 THEN d.created_at ELSE st.prev_at END,
               (CASE WHEN st.status <> 'OPEN' THEN st.status::text WHEN st.prev_status = 'OPEN' THEN 'MOVED' ELSE 'REOPENED' END)::deal_event_type,
               st.changed_by_id, st.from_stage_id, st.to_stage_id,
               d.title, d.value, st.prev_stage, st.prev_status, d.owner_id, d.expected_close_date,
               CASE WHEN st.prev_status = 'LOST' THEN d.lost_reason END, st.prev_at,
               d.title, d.value, st.to_stage_id, st.status, d.owner_id, d.expected_close_date,
               CASE WHEN st.status = 'LOST' THEN d.lost_reason END
        FROM deals d JOIN steps st ON st.deal_id = d.id AND st.n > 1
        UNION ALL
        SELECT d.id, d.updated_at, st.changed_at,
               (CASE WHEN d.deleted_at = d.updated_at THEN 'DELETED' ELSE 'UPDATED' END)::deal_event_type, NULL, NULL, st.to_stage_id,
               d.title, d.value, st.to_stage_id, st.status, d.owner_id, d.expected_close_date,
               CASE WHEN st.status = 'LOST' THEN d.lost_reason END, st.changed_at,
               d.title, d.value, st.to_stage_id, st.status, d.owner_id, d.expected_close_date,
               CASE WHEN st.status = 'LOST' THEN d.lost_reason END
        FROM deals d JOIN steps st ON st.deal_id = d.id AND st.from_end = 1 AND d.updated_at > st.changed_at
    )
    INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type, actor_id, from_stage_id, to_stage_id,
                              changes, title, value, stage_id, status, owner_id, expected_close_date, lost_reason, stage_entered_at)
    SELECT e.deal_id, e.valid_to, e.valid_from, d.workspace_id, d.pipeline_id,
           (SELECT max(ev.seq) FROM deal_events ev WHERE ev.deal_id = e.deal_id AND ev.occurred_at = e.valid_to),
           e.type, e.actor_id, e.from_stage_id, e.to_stage_id, ${changes()},
           b_title, b_value, b_stage_id, b_status, b_owner_id, b_expected_close_date, b_lost_reason, b_stage_entered_at
    FROM entries e JOIN deals d ON d.id = e.deal_id
    ON CONFLICT DO NOTHING`;

export class RecordFieldHistory1795800000000 implements MigrationInterface {
    name = 'RecordFieldHistory1795800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "deal_history" ("deal_id" uuid NOT NULL, "valid_to" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "workspace_id" text NOT NULL, "pipeline_id" uuid NOT NULL, "seq" bigint, "type" "public"."deal_event_type" NOT NULL, "actor_id" uuid, "from_stage_id" uuid, "to_stage_id" uuid, "changes" jsonb NOT NULL DEFAULT '[]', "title" text, "value" numeric(14,2), "stage_id" uuid, "status" "public"."deal_status", "owner_id" uuid, "expected_close_date" TIMESTAMP WITH TIME ZONE, "lost_reason" text, "stage_entered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_952a6b5b8ef065e1e4bc2a5f0a9" PRIMARY KEY ("deal_id", "valid_to"))`);
        await queryRunner.query(`CREATE INDEX "deal_history_open" ON "deal_history"  ("pipeline_id", "valid_to", "valid_from", "stage_id", "value", "expected_close_date", "deal_id") WHERE status = 'OPEN'`);
        await queryRunner.query(`ALTER TABLE "deals" ADD "slip_count" integer NOT NULL DEFAULT '0'`);
        await queryRunner.query(`ALTER TABLE "deal_events" ADD "changes" jsonb NOT NULL DEFAULT '[]'`);

        // Hand-added below the generated part.
        await queryRunner.query(BACKFILL);
        await queryRunner.query(`UPDATE deal_events e SET changes = h.changes FROM deal_history h
            WHERE h.seq = e.seq AND h.changes <> '[]'::jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deal_events" DROP COLUMN "changes"`);
        await queryRunner.query(`ALTER TABLE "deals" DROP COLUMN "slip_count"`);
        await queryRunner.query(`DROP INDEX "public"."deal_history_open"`);
        await queryRunner.query(`DROP TABLE "deal_history"`);
    }

}
