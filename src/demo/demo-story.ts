import { randomUUID } from 'node:crypto';
import { LeadSource, LeadStatus } from '../features/leads/lead.enums';
import { StageKind } from '../features/pipelines/stage-kind';
import { CAMPAIGNS, COMPANIES, DEMO_PIPELINES, FIRST_NAMES, LOST_REASONS, PRODUCTS, Random, SOURCES } from './demo-data';

const DAY = 86_400_000;
/** Every invented moment lies at least this far in the past, before anything written live. */
const MARGIN = 3_600_000;

/** How many leads the demo starts with. */
export const DEMO_LEADS = 300;

export type DemoPipeline = keyof typeof DEMO_PIPELINES;

/** A lead as the story leaves it; times in ms since the epoch. */
export interface StoryLead {
  id: string; name: string; company: string; email: string; source: LeadSource; campaign: string | null; score: number;
  owner: string; status: LeadStatus; createdAt: number; qualifiedAt?: number; salesQualifiedAt?: number; convertedAt?: number;
}

/** A deal entering stage number `stage` of its pipeline (an index into its DEMO_PIPELINES stages) at `at`. */
export interface StoryStep { at: number; stage: number; lostReason?: string }

/** A deal from its creation (in its pipeline's first stage) through its stage entries and its last call. */
export interface StoryDeal {
  id: string; pipeline: DemoPipeline; title: string; value: number; owner: string; leadId?: string;
  expectedCloseDate?: number; createdAt: number; steps: StoryStep[];
  /** When the owner logged a call on the deal (after its last move), if they did. */
  calledAt?: number;
}

/** Six months of a sales team's work, invented: what the demo workspace holds on its first start. */
export interface DemoStory { leads: StoryLead[]; deals: StoryDeal[] }

/**
 * Tells the demo's six months, ending an hour before `now`: leads coming in from many sources
 * and campaigns, qualified or not, the best converted into New business deals that climb the
 * board a few days per stage and are won or lost; renewals; onboarding after most wins. The
 * owners are `owners` (token subjects). The same `rng` tells the same story.
 */
export function demoStory(now: number, rng: Random, owners: string[]): DemoStory {
  const latest = now - MARGIN;
  const ago = (days: number) => Math.min(now - days * DAY, latest);
  const plusDays = (t: number, min: number, max: number) => t + rng.between(min, max) * DAY;
  const value = (min: number, max: number) => Math.round(Math.exp(rng.between(Math.log(min), Math.log(max))) / 100) * 100;
  const leads: StoryLead[] = [];
  const deals: StoryDeal[] = [];

  /**
   * Walks a deal created at `createdAt` through its pipeline's open stages, a few days in
   * each, losing it with `lossChance(step, isLastOpenStage)` and winning it after the last
   * open stage; it stays open where the walk reaches the present.
   */
  const walk = (deal: Omit<StoryDeal, 'steps'>, lossChance: (step: number, last: boolean) => number): { status: StageKind; at: number } => {
    const stages = DEMO_PIPELINES[deal.pipeline].stages;
    const open = stages.flatMap((s, i) => (s.kind === StageKind.OPEN ? [i] : []));
    const steps: StoryStep[] = [];
    let t = deal.createdAt;
    let status = StageKind.OPEN;
    for (let step = 0; step < open.length; step += 1) {
      const next = plusDays(t, 3, 24);
      if (next > latest) break;
      const last = step === open.length - 1;
      if (rng.chance(lossChance(step, last))) {
        status = StageKind.LOST;
        steps.push({ at: next, stage: stages.findIndex((s) => s.kind === status), lostReason: rng.pick(LOST_REASONS) });
      } else if (last) {
        status = StageKind.WON;
        steps.push({ at: next, stage: stages.findIndex((s) => s.kind === status) });
      } else {
        steps.push({ at: next, stage: open[step + 1] });
      }
      t = next;
      if (status !== StageKind.OPEN) break;
    }
    // Recent calls keep most open deals fresh; the rest show up as stalled.
    const calledAt = status === StageKind.OPEN && rng.chance(0.6) ? Math.max(rng.between(t, latest), t + 1) : undefined;
    deals.push({ ...deal, steps, calledAt });
    return { status, at: t };
  };

  const won: { company: string; at: number; owner: string }[] = [];
  for (let i = 0; i < DEMO_LEADS; i += 1) {
    const company = COMPANIES[i % COMPANIES.length];
    const first = rng.pick(FIRST_NAMES);
    const owner = rng.pick(owners);
    const createdAt = ago(rng.between(0.1, 182));
    const lead: StoryLead = {
      id: randomUUID(), name: `${first} at ${company}`, company, email: `${first.toLowerCase()}.${i}@${company.toLowerCase().replace(/\W+/g, '')}.example`,
      source: rng.pick(SOURCES), campaign: rng.pick(CAMPAIGNS), score: rng.int(5, 98), owner, status: LeadStatus.NEW, createdAt,
    };
    leads.push(lead);
    const fate = rng.next();
    const mql = plusDays(createdAt, 1, 6);
    const sql = plusDays(mql, 1, 8);
    const converted = plusDays(sql, 0.5, 4);
    if (fate < 0.15 || mql > latest) continue;
    if (fate < 0.3) {
      lead.status = fate < 0.22 ? LeadStatus.NURTURING : LeadStatus.DISQUALIFIED;
      continue;
    }
    lead.qualifiedAt = mql;
    lead.status = LeadStatus.MQL;
    if (fate < 0.42 || sql > latest) continue;
    lead.salesQualifiedAt = sql;
    lead.status = LeadStatus.SQL;
    if (fate < 0.55 || converted > latest) continue;
    lead.convertedAt = converted;
    lead.status = LeadStatus.CONVERTED;
    const end = walk({
      id: randomUUID(), pipeline: 'newBusiness', title: `${company} ${rng.pick(PRODUCTS)}`, value: value(3_000, 150_000), owner,
      leadId: lead.id, expectedCloseDate: plusDays(now, 5, 120), createdAt: converted,
    }, (_step, last) => (last ? 0.35 : 0.16));
    if (end.status === StageKind.WON) won.push({ company, at: end.at, owner });
  }

  for (let i = 0; i < 40; i += 1) {
    const company = COMPANIES[(i * 7) % COMPANIES.length];
    const owner = rng.pick(owners);
    const title = `${company} annual renewal`;
    const dealValue = value(5_000, 90_000);
    const expectedCloseDate = plusDays(now, 10, 150);
    walk({ id: randomUUID(), pipeline: 'renewals', title, value: dealValue, owner, expectedCloseDate, createdAt: ago(rng.between(0.5, 170)) }, () => 0.1);
  }

  for (const sale of won) {
    const start = plusDays(sale.at, 0.5, 3);
    if (start > latest || !rng.chance(0.8)) continue;
    walk({ id: randomUUID(), pipeline: 'onboarding', title: `Onboard ${sale.company}`, value: value(1_000, 12_000), owner: sale.owner, createdAt: start },
      () => 0.05);
  }
  return { leads, deals };
}
