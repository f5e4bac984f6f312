import {
  CreateDealDocument, DeleteDealDocument, LoseDealDocument, MoveDealDocument, ReopenDealDocument, WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';

/** One step of a hand-built deal history, applied through the API and then dated by hand. */
export type Step =
  | { at: string; create: { stageId: string; value: number; title?: string; ownerId?: string; leadId?: string; expectedCloseDate?: string } }
  | { at: string; move: string }
  | { at: string; win: true }
  | { at: string; lose: string }
  | { at: string; reopen: true };

/**
 * Plays a deal's history through the real mutations, then backdates what they wrote (the
 * stage changes in order, createdAt, stageEnteredAt, closedAt and the field history) to the
 * times given, so that figures over it are known in advance. `deleted` soft-deletes it at
 * the end (dated when it ran).
 */
export async function playDeal(url: string, token: string, pipelineId: string, steps: Step[], deleted = false): Promise<string> {
  const [first, ...rest] = steps;
  if (!('create' in first)) throw new Error('a history starts with create');
  const { create } = first;
  const deal = ok(await gql(url, token, CreateDealDocument, {
    input: { pipelineId, title: create.title ?? 'Deal', ...create },
  })).createDeal;
  for (const step of rest) {
    if ('move' in step) ok(await gql(url, token, MoveDealDocument, { id: deal.id, stageId: step.move }));
    else if ('win' in step) ok(await gql(url, token, WinDealDocument, { id: deal.id }));
    else if ('lose' in step) ok(await gql(url, token, LoseDealDocument, { id: deal.id, reason: step.lose }));
    else if ('reopen' in step) ok(await gql(url, token, ReopenDealDocument, { id: deal.id }));
  }
  if (deleted) ok(await gql(url, token, DeleteDealDocument, { id: deal.id }));

  const changes = await sql<{ id: string }>('SELECT id FROM stage_changes WHERE deal_id = $1 ORDER BY changed_at, id', [deal.id]);
  if (changes.length !== steps.length) throw new Error(`expected ${steps.length} stage changes, found ${changes.length}`);
  for (const [i, change] of changes.entries()) await sql('UPDATE stage_changes SET changed_at = $2 WHERE id = $1', [change.id, steps[i].at]);
  const last = steps.at(-1)!.at;
  // A deletion keeps its real time (after every step): it is then the deal's last change.
  await sql(`UPDATE deals SET created_at = $2, stage_entered_at = $3, updated_at = coalesce(deleted_at, $3::timestamptz),
      closed_at = CASE WHEN status = 'OPEN' THEN NULL ELSE $3::timestamptz END WHERE id = $1`, [deal.id, first.at, last]);
  await redateFieldHistory(deal.id, distinctInstants(steps.map((step) => step.at)));
  return deal.id;
}

/**
 * The times as instants in order, a microsecond apart where steps share a time (a deal's
 * history rows are keyed by their time, as two writes of one deal never share one).
 */
function distinctInstants(times: string[]): string[] {
  let previous = -Infinity;
  return times.map((time) => {
    const micros = Math.max(new Date(time).getTime() * 1000, previous + 1);
    previous = micros;
    const iso = new Date(Math.floor(micros / 1000)).toISOString();
    return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
  });
}

/**
 * Dates a played deal's field history at its steps: its rows in the order written (one per
 * step, then the deletion, which keeps its time) get the step times as `valid_to`, the step
 * before as `valid_from` (a creation's interval stays empty), and the stage entry the step
 * before made as `stage_entered_at`: every step is a stage entry.
 */
async function redateFieldHistory(dealId: string, times: string[]): Promise<void> {
  const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM deal_history WHERE deal_id = $1', [dealId]);
  if (n < times.length) throw new Error(`expected ${times.length} field-history rows, found ${n}`);
  await sql(`UPDATE deal_history h SET valid_to = v.t, valid_from = coalesce(v.previous, v.t),
        stage_entered_at = CASE WHEN h.type = 'CREATED' THEN NULL ELSE v.previous END
      FROM (SELECT o.valid_to AS old, coalesce(t.t, o.valid_to) AS t, lag(coalesce(t.t, o.valid_to)) OVER (ORDER BY o.n) AS previous
            FROM (SELECT valid_to, row_number() OVER (ORDER BY valid_to) AS n FROM deal_history WHERE deal_id = $1) o
            LEFT JOIN unnest($2::timestamptz[]) WITH ORDINALITY AS t(t, n) ON t.n = o.n) v
      WHERE h.deal_id = $1 AND h.valid_to = v.old`, [dealId, times]);
}
