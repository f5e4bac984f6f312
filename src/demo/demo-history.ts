import { EntityManager } from 'typeorm';
import { ActivityType } from '../features/activities/activity.entity';
import { Viewer } from '../features/workspaces/viewer';
import { Services } from '../services';
import { LOST_REASONS, Random } from './demo-data';

const DAY = 86_400_000;
/** Every invented moment lies at least this far in the past, so it sorts before the seeding transaction's own. */
const MARGIN = 3_600_000;

/** A stage as the demo's history needs it. */
export interface StageRow { id: string; name: string; kind: 'OPEN' | 'WON' | 'LOST' }

/**
 * Writes history through the services (so every rule, ledger entry and event is real) and
 * then moves each new row back to an invented moment of the past six months. Rows the
 * services write carry times at or after the transaction's start; invented ones are older,
 * which tells the two apart.
 */
export class DemoHistory {
  readonly now = Date.now();

  private constructor(private readonly em: EntityManager, private readonly txStart: Date,
    private readonly services: Services, private readonly viewer: Viewer, readonly rng: Random) {}

  static async begin(em: EntityManager, services: Services, viewer: Viewer, rng: Random): Promise<DemoHistory> {
    const [{ now }] = await em.query('SELECT now() AS now');
    return new DemoHistory(em, new Date(now), services, viewer, rng);
  }

  /** A moment `days` ago (fractions allowed), never later than the margin before now. */
  ago(days: number): number {
    return Math.min(this.now - days * DAY, this.latest);
  }

  get latest(): number {
    return this.now - MARGIN;
  }

  plusDays(t: number, min: number, max: number): number {
    return t + this.rng.between(min, max) * DAY;
  }

  async stagesOf(pipelineId: string): Promise<StageRow[]> {
    return this.em.query('SELECT id, name, kind FROM stages WHERE pipeline_id = $1 ORDER BY position', [pipelineId]);
  }

  /**
   * Dates a deal's ledger entries and events, oldest first, at `changes` and `events`: the
   * services wrote them in this transaction in that order. One statement per table and deal,
   * so the ledger's triggers rebuild the deal's visits once.
   */
  async stamp(dealId: string, changes: number[], events: number[]): Promise<void> {
    const times = (list: number[]) => JSON.stringify(list.map((t) => new Date(t).toISOString()));
    await this.em.query(
      `UPDATE stage_changes sc SET changed_at = v.t::timestamptz
       FROM (SELECT id, row_number() OVER (ORDER BY changed_at, id) AS n FROM stage_changes WHERE deal_id = $1 AND changed_at >= $3) o
       JOIN jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS v(t, n) ON v.n = o.n
       WHERE sc.id = o.id`,
      [dealId, times(changes), this.txStart],
    );
    await this.em.query(
      `UPDATE deal_events e SET occurred_at = v.t::timestamptz
       FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM deal_events WHERE deal_id = $1 AND occurred_at >= $3) o
       JOIN jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS v(t, n) ON v.n = o.n
       WHERE e.seq = o.seq`,
      [dealId, times(events), this.txStart],
    );
    // The field history follows its events; each state then runs from the change before.
    await this.em.query(
      `UPDATE deal_history h SET valid_to = e.occurred_at FROM deal_events e WHERE h.deal_id = $1 AND e.deal_id = $1 AND e.seq = h.seq`,
      [dealId],
    );
    await this.em.query(
      `UPDATE deal_history h SET valid_from = coalesce(w.previous, h.valid_to), stage_entered_at = w.entered
       FROM (SELECT valid_to, lag(valid_to) OVER o AS previous,
               max(valid_to) FILTER (WHERE changes @> '[{"field": "STAGE"}]') OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS entered
             FROM deal_history WHERE deal_id = $1 WINDOW o AS (ORDER BY valid_to)) w
       WHERE h.deal_id = $1 AND h.valid_to = w.valid_to`,
      [dealId],
    );
  }

  /** Dates a pipeline's creation (pipelines are listed in creation order). */
  async datePipeline(pipelineId: string, t: number): Promise<void> {
    await this.em.query('UPDATE pipelines SET created_at = $2::timestamptz WHERE id = $1', [pipelineId, new Date(t)]);
  }

  /** Dates a lead's creation and qualification steps. */
  async dateLead(leadId: string, created: number, mql?: number, sql?: number, converted?: number): Promise<void> {
    const d = (t?: number) => (t === undefined ? null : new Date(t));
    await this.em.query(
      `UPDATE leads SET created_at = $2::timestamptz, updated_at = COALESCE($5::timestamptz, $4::timestamptz, $3::timestamptz, $2::timestamptz),
         qualified_at = CASE WHEN qualified_at IS NULL THEN NULL ELSE $3::timestamptz END,
         sales_qualified_at = CASE WHEN sales_qualified_at IS NULL THEN NULL ELSE $4::timestamptz END,
         converted_at = CASE WHEN converted_at IS NULL THEN NULL ELSE $5::timestamptz END
       WHERE id = $1`,
      [leadId, d(created), d(mql), d(sql), d(converted)],
    );
  }

  /**
   * Walks a deal created at `start` through the open stages, a few days in each, losing it
   * with `lossChance(step, isLastOpenStage)` and winning it after the last open stage; it
   * stays open where the walk reaches the present. Returns its status and last change.
   */
  async walk(dealId: string, start: number, stages: StageRow[], lossChance: (step: number, last: boolean) => number): Promise<{ status: string; at: number }> {
    const open = stages.filter((s) => s.kind === 'OPEN');
    const { deals } = this.services;
    let t = start;
    let status = 'OPEN';
    // One ledger entry and one event per step: creation first.
    const changes = [t];
    for (let step = 0; step < open.length; step += 1) {
      const next = this.plusDays(t, 3, 24);
      if (next > this.latest) break;
      const last = step === open.length - 1;
      if (this.rng.chance(lossChance(step, last))) {
        await deals.lose(this.em, this.viewer, dealId, this.rng.pick(LOST_REASONS));
        status = 'LOST';
      } else if (last) {
        await deals.win(this.em, this.viewer, dealId);
        status = 'WON';
      } else {
        await deals.move(this.em, this.viewer, dealId, open[step + 1].id);
      }
      t = next;
      changes.push(t);
      if (status !== 'OPEN') break;
    }
    const events = [...changes];
    if (status === 'OPEN' && this.rng.chance(0.6)) {
      // Recent calls keep most open deals fresh; the rest show up as stalled.
      const doneAt = new Date(this.rng.between(t, this.latest));
      await this.services.activities.log(this.em, this.viewer, { type: ActivityType.CALL, subject: 'Check-in call', dealId, doneAt });
      events.push(t + 1); // the deal's UPDATED event (lastActivityAt), just after its last move
    }
    await this.stamp(dealId, changes, events);
    await this.em.query(
      `UPDATE deals SET created_at = $2::timestamptz, stage_entered_at = $3::timestamptz, updated_at = $4::timestamptz,
         closed_at = CASE WHEN status = 'OPEN' THEN NULL ELSE $3::timestamptz END WHERE id = $1`,
      [dealId, new Date(start), new Date(t), new Date(events.at(-1)!)],
    );
    return { status, at: t };
  }
}
