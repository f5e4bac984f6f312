/** A deal as the oracle tracks it from the writes a test made, in the order it made them. */
export interface DealState {
  id: string;
  exists: boolean;
  status: 'OPEN' | 'WON' | 'LOST';
  stageId: string;
  lastOpenStageId: string;
  cents: number;
  close: string | null;
}

export type Window = { from?: string; to?: string } | undefined;

export const KINDS = ['CREATED', 'REOPENED', 'PULLED_IN', 'INCREASED', 'PUSHED_OUT', 'WON', 'LOST', 'DELETED', 'DECREASED'] as const;
export type Kind = (typeof KINDS)[number];

/** Figures of a flow as the oracle computes them, in cents. */
export interface OracleFlow {
  start: { count: number; cents: number };
  end: { count: number; cents: number };
  movements: Record<Kind, { ids: string[]; cents: number }>;
}

const inPipeline = (deal: DealState | undefined, window: Window): deal is DealState => {
  if (!deal?.exists || deal.status !== 'OPEN') return false;
  if (!window) return true;
  if (deal.close === null) return false;
  const t = new Date(deal.close).getTime();
  return (!window.from || t >= new Date(window.from).getTime()) && (!window.to || t < new Date(window.to).getTime());
};

/** The flow between two states of the board, by the rules of the contract, replayed by hand. */
export function oracleFlow(start: Map<string, DealState>, end: Map<string, DealState>, window: Window): OracleFlow {
  const movements = Object.fromEntries(KINDS.map((k) => [k, { ids: [] as string[], cents: 0 }])) as OracleFlow['movements'];
  const total = (states: Map<string, DealState>) => {
    const inside = [...states.values()].filter((d) => inPipeline(d, window));
    return { count: inside.length, cents: inside.reduce((sum, d) => sum + d.cents, 0) };
  };
  const add = (kind: Kind, id: string, cents: number) => {
    movements[kind].ids.push(id);
    movements[kind].cents += cents;
  };
  for (const id of new Set([...start.keys(), ...end.keys()])) {
    const [a, b] = [start.get(id), end.get(id)];
    const [inA, inB] = [inPipeline(a, window), inPipeline(b, window)];
    if (inA && inB) {
      if (b!.cents > a!.cents) add('INCREASED', id, b!.cents - a!.cents);
      if (b!.cents < a!.cents) add('DECREASED', id, a!.cents - b!.cents);
    } else if (inB) {
      add(!a?.exists ? 'CREATED' : a.status !== 'OPEN' ? 'REOPENED' : 'PULLED_IN', id, b!.cents);
    } else if (inA) {
      add(!b!.exists ? 'DELETED' : b!.status === 'WON' ? 'WON' : b!.status === 'LOST' ? 'LOST' : 'PUSHED_OUT', id, a!.cents);
    }
  }
  return { start: total(start), end: total(end), movements };
}

/** The open deals of a state per stage: ids and value in cents. */
export function oracleSnapshot(states: Map<string, DealState>): Map<string, { ids: string[]; cents: number }> {
  const stages = new Map<string, { ids: string[]; cents: number }>();
  for (const deal of states.values()) {
    if (!deal.exists || deal.status !== 'OPEN') continue;
    const stage = stages.get(deal.stageId) ?? { ids: [], cents: 0 };
    stage.ids.push(deal.id);
    stage.cents += deal.cents;
    stages.set(deal.stageId, stage);
  }
  return stages;
}

/** A small seeded generator (mulberry32), so a failing case can be replayed by its seed. */
export function seeded(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}
