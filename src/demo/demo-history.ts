import { EntityManager } from 'typeorm';
import { SqlParams } from '../infra/db/sql-params';
import { changeCtes, creationCtes, creationReturning, fieldChange, NOW, stageEntry } from '../features/deals/deal.ledger';
import { DealEventType } from '../features/deals/deal.enums';
import { DemoPipeline, DemoStory, StoryDeal } from './demo-story';

/** Where the story's names point in the database: owners' user ids, each pipeline's stage ids in order. */
export interface StoryTargets {
  workspaceId: string;
  userIds: Map<string, string>;
  stages: Record<DemoPipeline, { id: string; pipelineId: string }[]>;
}

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

/**
 * Writes the story set-based, a statement per table or round of changes (rather than one per
 * change: the embedded database spends a millisecond or more on every statement). Each deal's
 * creation, stage entries and calls are written by the write path's own SQL (deal.ledger.ts):
 * ledger entries, events, field history and versions as the API would leave them, dated at the
 * story's moments and made by the deal's owner.
 */
export async function writeStory(em: EntityManager, story: DemoStory, to: StoryTargets): Promise<void> {
  const user = (sub: string) => to.userIds.get(sub)!;
  await em.query(
    `INSERT INTO leads (id, workspace_id, name, company, email, source, campaign, score, owner_id, status,
       created_at, updated_at, qualified_at, sales_qualified_at, converted_at)
     SELECT id, $1, name, company, email, source::lead_source, campaign, score, owner_id, status::lead_status,
       created_at, coalesce(converted_at, sales_qualified_at, qualified_at, created_at), qualified_at, sales_qualified_at, converted_at
     FROM jsonb_to_recordset($2::jsonb) AS l(id uuid, name text, company text, email text, source text, campaign text, score int,
       owner_id uuid, status text, created_at timestamptz, qualified_at timestamptz, sales_qualified_at timestamptz, converted_at timestamptz)`,
    [to.workspaceId, JSON.stringify(story.leads.map((l) => ({
      ...l, owner_id: user(l.owner), created_at: iso(l.createdAt), qualified_at: iso(l.qualifiedAt),
      sales_qualified_at: iso(l.salesQualifiedAt), converted_at: iso(l.convertedAt),
    })))],
  );
  await createDeals(em, story.deals, to, user);
  // Round k enters every deal's k-th stage: a deal's changes are written in their order.
  for (let k = 0; story.deals.some((d) => d.steps.length > k); k += 1) {
    const round = story.deals.filter((d) => d.steps.length > k).map((d) => {
      const step = d.steps[k];
      return { deal_id: d.id, now: iso(step.at), stage_id: to.stages[d.pipeline][step.stage].id, lost_reason: step.lostReason ?? null };
    });
    const params = new SqlParams();
    const rows = params.add(JSON.stringify(round));
    await em.query(
      `WITH clock AS (SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS c(deal_id uuid, now timestamptz, stage_id uuid, lost_reason text)),
       deal AS (SELECT deals.* FROM deals JOIN clock ON clock.deal_id = deals.id),
       target AS (SELECT * FROM stages WHERE id IN (SELECT stage_id FROM clock)),
       ${changeCtes(stageEntry('clock.lost_reason'), { from: 'deal, clock', where: 'clock.deal_id = deal.id AND target.id = clock.stage_id', actor: 'owner_id' }).join(',\n')}
       SELECT count(*) FROM changed`,
      params.values,
    );
  }
  await logCalls(em, story.deals.filter((d) => d.calledAt !== undefined), to.workspaceId);
}

/** Every deal in its pipeline's first stage, with its first ledger entry and CREATED event. */
async function createDeals(em: EntityManager, deals: StoryDeal[], to: StoryTargets, user: (sub: string) => string): Promise<void> {
  const rows = deals.map((d) => {
    const first = to.stages[d.pipeline][0];
    return {
      id: d.id, title: d.title, value: d.value, pipeline_id: first.pipelineId, stage_id: first.id, owner_id: user(d.owner),
      lead_id: d.leadId ?? null, expected_close_date: iso(d.expectedCloseDate), created_at: iso(d.createdAt),
    };
  });
  await em.query(
    `WITH created AS (
       INSERT INTO deals (id, workspace_id, title, value, pipeline_id, stage_id, owner_id, lead_id, expected_close_date,
         created_at, updated_at, stage_entered_at)
       SELECT id, $1, title, value, pipeline_id, stage_id, owner_id, lead_id, expected_close_date, created_at, created_at, created_at
       FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, title text, value numeric, pipeline_id uuid, stage_id uuid, owner_id uuid,
         lead_id uuid, expected_close_date timestamptz, created_at timestamptz)
       RETURNING ${creationReturning("CASE WHEN lead_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('leadId', lead_id) END")}),
     ${creationCtes('owner_id').join(',\n')}
     SELECT count(*) FROM created`,
    [to.workspaceId, JSON.stringify(rows)],
  );
}

/** Each owner's check-in call on their deal, and the deal's `lastActivityAt` following it (as logging one does). */
async function logCalls(em: EntityManager, deals: StoryDeal[], workspaceId: string): Promise<void> {
  const params = new SqlParams();
  const rows = params.add(JSON.stringify(deals.map((d) => ({ deal_id: d.id, now: iso(d.calledAt) }))));
  const change = fieldChange(em, params, { set: { lastActivityAt: NOW }, type: DealEventType.UPDATED, payload: { fields: ['lastActivityAt'] } });
  await em.query(
    `WITH clock AS (SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS c(deal_id uuid, now timestamptz)),
     deal AS (SELECT deals.* FROM deals JOIN clock ON clock.deal_id = deals.id),
     call AS (INSERT INTO activities (workspace_id, type, subject, done_at, deal_id, owner_id, created_at)
       SELECT deal.workspace_id, 'CALL', 'Check-in call', clock.now, deal.id, deal.owner_id, clock.now
       FROM deal JOIN clock ON clock.deal_id = deal.id AND deal.workspace_id = ${params.add(workspaceId)}),
     ${changeCtes(change, { from: 'deal, clock', where: 'clock.deal_id = deal.id', actor: 'owner_id' }).join(',\n')}
     SELECT count(*) FROM changed`,
    params.values,
  );
}
