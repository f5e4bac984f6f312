import { CreatePipelineDocument, DealGroupField, ManagerAggregatesDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { signIn } from '../factories/workspace.factory';
import { stagesOf } from '../factories/pipeline.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

interface RandomDeal {
  pipeline: number;
  stage: { id: string; position: number; kind: string; pipeline: number };
  owner: string | null;
  value: number;
  created: Date;
  closed: Date | null;
  expected: Date | null;
  deleted: boolean;
}

const month = (d: Date | null) => (d ? d.toISOString().slice(0, 7) : null);
const quarter = (d: Date | null) => (d ? `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}` : null);
const STATUS_ORDER = ['OPEN', 'WON', 'LOST'];
const statusOf = (d: RandomDeal) => (d.stage.kind === 'WON' ? 'WON' : d.stage.kind === 'LOST' ? 'LOST' : 'OPEN');

/** A group key's value and its place in the order CONTRACT §8 gives (null last). */
const KEYS: Partial<Record<DealGroupField, (d: RandomDeal) => { value: string | null; sort: (string | number)[] }>> = {
  PIPELINE: (d) => ({ value: String(d.pipeline), sort: [d.pipeline] }),
  STAGE: (d) => ({ value: d.stage.id, sort: [d.stage.pipeline, d.stage.position] }),
  OWNER: (d) => ({ value: d.owner, sort: d.owner === null ? [] : [d.owner] }),
  STATUS: (d) => ({ value: statusOf(d), sort: [STATUS_ORDER.indexOf(statusOf(d))] }),
  CREATED_QUARTER: (d) => ({ value: quarter(d.created), sort: [quarter(d.created)!] }),
  CLOSED_QUARTER: (d) => ({ value: quarter(d.closed), sort: d.closed ? [quarter(d.closed)!] : [] }),
  EXPECTED_CLOSE_MONTH: (d) => ({ value: month(d.expected), sort: d.expected ? [month(d.expected)!] : [] }),
};

function compare(a: (string | number)[], b: (string | number)[]): number {
  if (a.length === 0 || b.length === 0) return (a.length === 0 ? 1 : 0) - (b.length === 0 ? 1 : 0);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** The report as the contract defines it, computed here from the deals as generated. */
function oracle(deals: RandomDeal[], groupBy: DealGroupField[]) {
  const groups = new Map<string, { keys: { value: string | null; sort: (string | number)[] }[]; deals: RandomDeal[] }>();
  for (const deal of deals.filter((d) => !d.deleted)) {
    const keys = groupBy.map((f) => KEYS[f]!(deal));
    const id = JSON.stringify(keys.map((k) => k.value));
    groups.set(id, { keys, deals: [...(groups.get(id)?.deals ?? []), deal] });
  }
  const ordered = [...groups.values()].sort((x, y) => {
    for (let i = 0; i < groupBy.length; i++) {
      const c = compare(x.keys[i].sort, y.keys[i].sort);
      if (c !== 0) return c;
    }
    return 0;
  });
  return ordered.map(({ keys, deals: members }) => {
    const won = members.filter((d) => statusOf(d) === 'WON');
    const lost = members.filter((d) => statusOf(d) === 'LOST').length;
    const cycles = won.map((d) => (d.closed!.getTime() - d.created.getTime()) / 86_400_000);
    return {
      keys: keys.map((k) => k.value),
      count: members.length,
      sum: Math.round(members.reduce((s, d) => s + d.value * 100, 0)) / 100,
      wonCount: won.length,
      lostCount: lost,
      winRate: won.length + lost === 0 ? null : won.length / (won.length + lost),
      averageSalesCycleDays: cycles.length === 0 ? null : cycles.reduce((s, c) => s + c, 0) / cycles.length,
    };
  });
}

test('random deals: every grouping, in key order, matches the oracle', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const owners = ['rep-c', 'rep-a', 'rep-b'];
  for (const owner of owners) await signIn(t, ws.token('REP', owner));
  const users = await sql<{ id: string; external_id: string }>('SELECT id, external_id FROM users WHERE workspace_id = $1', [ws.id]);
  const userId = Object.fromEntries(users.map((u) => [u.external_id, u.id]));
  const pipeline = async (name: string, open: number) =>
    ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name, stages: stagesOf(open) } })).createPipeline;
  const pipelines = [await pipeline('P0', 3), await pipeline('P1', 2)];
  let seed = 1515;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const deals: RandomDeal[] = [];
  for (let i = 0; i < 120; i++) {
    const pipeline = Math.floor(random() * pipelines.length);
    const stage = pick(pipelines[pipeline].stages);
    const created = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 700 * 86_400_000));
    const closed = stage.kind === 'OPEN' ? null : new Date(created.getTime() + Math.floor(random() * 200 * 86_400_000));
    deals.push({
      pipeline, stage: { id: stage.id, position: stage.position, kind: stage.kind, pipeline }, owner: pick([...owners, null]),
      value: Math.floor(random() * 1_000_000) / 100, created, closed,
      expected: random() < 0.3 ? null : new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 400 * 86_400_000)),
      deleted: random() < 0.1,
    });
  }
  // One statement for every deal: the report reads nothing else of them.
  await sql(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, status, owner_id, expected_close_date,
      created_at, updated_at, stage_entered_at, closed_at, deleted_at)
    SELECT $1, 'Random', x.value, x.pipeline_id, x.stage_id, x.status::deal_status, x.owner_id, x.expected, x.created, x.created,
      x.created, x.closed, x.deleted
    FROM jsonb_to_recordset($2::jsonb) AS x(value numeric, pipeline_id uuid, stage_id uuid, status text, owner_id uuid,
      expected timestamptz, created timestamptz, closed timestamptz, deleted timestamptz)`, [ws.id, JSON.stringify(deals.map((d) => ({
    value: d.value, pipeline_id: pipelines[d.pipeline].id, stage_id: d.stage.id, status: statusOf(d),
    owner_id: d.owner && userId[d.owner], expected: d.expected, created: d.created, closed: d.closed, deleted: d.deleted ? new Date() : null,
  })))]);
  const groupings: DealGroupField[][] = [
    ['PIPELINE'], ['STAGE'], ['OWNER', 'STATUS'], ['CREATED_QUARTER'], ['CLOSED_QUARTER', 'PIPELINE'],
    ['EXPECTED_CLOSE_MONTH', 'OWNER'], ['STATUS', 'STAGE'], [],
  ];
  for (const groupBy of groupings) {
    const rows = ok(await gql(t.url, admin, ManagerAggregatesDocument, { groupBy })).dealAggregates;
    const keyOf: Record<string, (r: (typeof rows)[number]) => string | null> = {
      PIPELINE: (r) => String(pipelines.findIndex((p) => p.id === r.group.pipeline?.id)),
      STAGE: (r) => r.group.stage?.id ?? null,
      OWNER: (r) => r.group.owner?.id ?? null,
      STATUS: (r) => r.group.status ?? null,
      CREATED_QUARTER: (r) => r.group.createdQuarter ?? null,
      CLOSED_QUARTER: (r) => r.group.closedQuarter ?? null,
      EXPECTED_CLOSE_MONTH: (r) => r.group.expectedCloseMonth ?? null,
    };
    const answered = rows.map((r) => ({
      keys: groupBy.map((f) => keyOf[f](r)), count: r.count, sum: r.sum, wonCount: r.wonCount, lostCount: r.lostCount,
      winRate: r.winRate ?? null, averageSalesCycleDays: r.averageSalesCycleDays ?? null,
    }));
    const expected = oracle(deals, groupBy);
    expect({ groupBy, keys: answered.map((a) => a.keys) }).toEqual({ groupBy, keys: expected.map((e) => e.keys) });
    for (const [i, row] of answered.entries()) {
      const want = expected[i];
      expect({ ...row, winRate: null, averageSalesCycleDays: null }).toEqual({ ...want, winRate: null, averageSalesCycleDays: null });
      for (const rate of ['winRate', 'averageSalesCycleDays'] as const) {
        if (want[rate] === null) expect(row[rate]).toBeNull();
        else expect(row[rate]).toBeCloseTo(want[rate]!, 9);
      }
    }
  }
});
