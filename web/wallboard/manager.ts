/**
 * The manager's strip of the wallboard: a live leaderboard of owners (value won and win rate
 * this quarter, in this pipeline), each goal's attainment with its coverage, and why stalled
 * deals need attention. It reloads after the events that change it.
 */
import { query } from './api';
import './manager.css';

const LEADERBOARD = `query WallboardLeaders($pipelineId: ID!, $since: DateTime!) {
  won: dealAggregates(filter: { pipelineId: $pipelineId, status: WON, closedAfter: $since }, groupBy: [OWNER]) {
    group { owner { id name } } sum wonCount }
  closed: dealAggregates(filter: { pipelineId: $pipelineId, closedAfter: $since }, groupBy: [OWNER]) {
    group { owner { id name } } wonCount lostCount winRate }
  goalProgress { goal { id metric target pipeline { name } owner { name } } attainment coverage requiredCoverage onTrack } }`;

interface OwnerGroup { group: { owner: { id: string; name: string | null } | null }; sum?: number; wonCount: number; lostCount?: number; winRate?: number | null }
interface Goal {
  goal: { id: string; metric: string; target: number; pipeline: { name: string } | null; owner: { name: string | null } | null };
  attainment: number | null; coverage: number | null; requiredCoverage: number | null; onTrack: boolean;
}
export interface Leader { owner: string; wonValue: number; wonCount: number; winRate: number | null }

const money = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const times = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}×`);

/** The first instant of the current calendar quarter, UTC (the figures' quarters are UTC). */
export function quarterStart(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1)).toISOString();
}

/** Owners by value won this quarter, then win rate; unowned deals are nobody's to rank. */
export function leaders(won: OwnerGroup[], closed: OwnerGroup[]): Leader[] {
  const rows = new Map<string, Leader>();
  for (const g of closed) {
    if (!g.group.owner) continue;
    rows.set(g.group.owner.id, { owner: g.group.owner.name ?? g.group.owner.id, wonValue: 0, wonCount: g.wonCount, winRate: g.winRate ?? null });
  }
  for (const g of won) {
    const row = g.group.owner && rows.get(g.group.owner.id);
    if (row) row.wonValue = g.sum ?? 0;
  }
  return [...rows.values()].sort((a, b) => b.wonValue - a.wonValue || (b.winRate ?? -1) - (a.winRate ?? -1));
}

function cell(tag: string, className: string, content: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = content;
  return node;
}

function renderLeaders(rows: Leader[]): void {
  const list = document.createElement('ol');
  list.className = 'leaders';
  list.append(...rows.slice(0, 6).map((row) => {
    const item = document.createElement('li');
    item.className = 'leader';
    item.append(cell('span', 'leader-name', row.owner), cell('span', 'leader-won', money.format(row.wonValue)),
      cell('span', 'leader-rate', `${percent(row.winRate)} win`));
    return item;
  }));
  const empty = cell('p', 'manager-empty', 'No deal closed this quarter yet.');
  document.getElementById('leaderboard')!.replaceChildren(cell('h2', '', 'Leaderboard this quarter'), rows.length ? list : empty);
}

function goalName(g: Goal['goal']): string {
  const scope = [g.pipeline?.name, g.owner?.name].filter(Boolean).join(' · ');
  return `${g.metric.replace(/_/g, ' ').toLowerCase()}${scope ? ` (${scope})` : ''}`;
}

function renderGoals(goals: Goal[]): void {
  const list = document.createElement('ul');
  list.className = 'goals';
  list.append(...goals.map((g) => {
    const item = document.createElement('li');
    item.className = g.onTrack ? 'goal goal-on-track' : 'goal goal-behind';
    const coverage = g.coverage === null && g.requiredCoverage === null ? '' : `coverage ${times(g.coverage)} of ${times(g.requiredCoverage)} needed`;
    item.append(cell('span', 'goal-name', goalName(g.goal)), cell('span', 'goal-attainment', percent(g.attainment)),
      cell('span', 'goal-coverage', coverage));
    return item;
  }));
  const empty = cell('p', 'manager-empty', 'No goals set.');
  document.getElementById('goals')!.replaceChildren(cell('h2', '', 'Goals'), goals.length ? list : empty);
}

let pending: ReturnType<typeof setTimeout> | undefined;

/** Loads (again, shortly after a burst of changes) the leaderboard and the goals. */
export function refreshManager(token: string, pipelineId: string, delayMs = 300): void {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    const data = await query<{ won: OwnerGroup[]; closed: OwnerGroup[]; goalProgress: Goal[] }>(
      token, LEADERBOARD, { pipelineId, since: quarterStart() },
    ).catch(() => undefined);
    if (!data) return;
    renderLeaders(leaders(data.won, data.closed));
    renderGoals(data.goalProgress);
  }, delayMs);
}

const REASONS: Record<string, string> = {
  ROTTING: 'idle too long', CLOSE_DATE_PASSED: 'close date passed', NO_CLOSE_DATE: 'no close date',
  SLIPPED: 'close date pushed out', NO_NEXT_STEP: 'no next step',
};

/** Why a stalled deal needs attention, as a line under its title; null for other deals. */
export function stalledReasons(deal: { isStalled: boolean; health?: { reasons: string[] } }): HTMLElement | null {
  if (!deal.isStalled || !deal.health?.reasons.length) return null;
  return cell('span', 'deal-reasons', deal.health.reasons.map((r) => REASONS[r] ?? r.toLowerCase()).join(' · '));
}
