import {
  ConvertLeadDocument, CreateDealDocument, DeleteDealDocument, ForecastDocument, LeadFunnelDocument, LoseDealDocument,
  QualifyLeadDocument, WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createLead, newBoard } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const d = (day: string) => `${day}T00:00:00.000Z`;
const Q1 = { from: d('2026-01-01'), to: d('2026-04-01') };

describe('leadFunnel', () => {
  let analyst: string;

  /**
   * Leads (source, campaign, created, furthest step):
   *   L1 INBOUND  spring 2026-01-05 NEW
   *   L2 INBOUND  spring 2026-01-10 MQL
   *   L3 INBOUND  spring 2026-02-03 SQL
   *   L4 REFERRAL —      2026-02-10 MQL → SQL → converted, deal won
   *   L5 REFERRAL —      2026-02-20 converted straight from NEW, deal lost
   *   L6 EVENT    expo   2025-12-15 MQL (before the range)
   *   L7 INBOUND  spring 2026-03-01 SQL → converted, deal won then deleted
   */
  beforeAll(async () => {
    const { ws, admin, pipeline } = await newBoard(t, 2);
    analyst = ws.token('ANALYST');
    const lead = async (source: 'INBOUND' | 'REFERRAL' | 'EVENT', campaign: string | null, created: string, steps: string[]) => {
      const l = await createLead(t, admin, { source, campaign });
      for (const step of steps) {
        if (step === 'MQL' || step === 'SQL') ok(await gql(t.url, admin, QualifyLeadDocument, { id: l.id, status: step }));
        if (step === 'convert') {
          const deal = ok(await gql(t.url, admin, ConvertLeadDocument, { id: l.id, input: { pipelineId: pipeline.id, title: 'From lead', value: 1000 } })).convertLead;
          (l as { dealId?: string }).dealId = deal.id;
        }
        const dealId = (l as { dealId?: string }).dealId!;
        if (step === 'win') ok(await gql(t.url, admin, WinDealDocument, { id: dealId }));
        if (step === 'lose') ok(await gql(t.url, admin, LoseDealDocument, { id: dealId, reason: 'Price' }));
        if (step === 'delete') ok(await gql(t.url, admin, DeleteDealDocument, { id: dealId }));
      }
      await sql('UPDATE leads SET created_at = $2 WHERE id = $1', [l.id, d(created)]);
    };
    await lead('INBOUND', 'spring', '2026-01-05', []);
    await lead('INBOUND', 'spring', '2026-01-10', ['MQL']);
    await lead('INBOUND', 'spring', '2026-02-03', ['MQL', 'SQL']);
    await lead('REFERRAL', null, '2026-02-10', ['MQL', 'SQL', 'convert', 'win']);
    await lead('REFERRAL', null, '2026-02-20', ['convert', 'lose']);
    await lead('EVENT', 'expo', '2025-12-15', ['MQL']);
    await lead('INBOUND', 'spring', '2026-03-01', ['SQL', 'convert', 'win', 'delete']);
  });

  const funnel = async (groupBy?: 'SOURCE' | 'CAMPAIGN' | 'CREATED_MONTH') =>
    ok(await gql(t.url, analyst, LeadFunnelDocument, { range: Q1, groupBy })).leadFunnel;

  test('the whole range: each step counts the leads that reached it or went further', async () => {
    expect(await funnel()).toEqual([{
      source: null, campaign: null, createdMonth: null, leads: 6, mqls: 5, sqls: 4, converted: 3, won: 1,
      mqlRate: 5 / 6, sqlRate: 4 / 5, conversionRate: 3 / 4, winRate: 1 / 3,
    }]);
  });

  test('by source and by campaign', async () => {
    const bySource = await funnel('SOURCE');
    expect(bySource.map((r) => [r.source, r.leads, r.mqls, r.sqls, r.converted, r.won, r.mqlRate, r.sqlRate, r.conversionRate, r.winRate])).toEqual([
      ['INBOUND', 4, 3, 2, 1, 0, 0.75, 2 / 3, 0.5, 0],
      ['REFERRAL', 2, 2, 2, 2, 1, 1, 1, 1, 0.5],
    ]);
    const byCampaign = await funnel('CAMPAIGN');
    expect(byCampaign.map((r) => [r.campaign, r.leads, r.won])).toEqual([['spring', 4, 0], [null, 2, 1]]);
  });

  test('by creation month: a step with nobody before it has a null rate', async () => {
    const byMonth = await funnel('CREATED_MONTH');
    expect(byMonth.map((r) => [r.createdMonth, r.leads, r.mqls, r.sqls, r.converted, r.won, r.mqlRate, r.sqlRate, r.conversionRate, r.winRate])).toEqual([
      ['2026-01', 2, 1, 0, 0, 0, 0.5, 0, null, null],
      ['2026-02', 3, 3, 3, 2, 1, 1, 1, 2 / 3, 0.5],
      ['2026-03', 1, 1, 1, 1, 0, 1, 1, 1, 0],
    ]);
  });

  test('another workspace counts nothing', async () => {
    const other = ok(await gql(t.url, newWorkspace().token('ANALYST'), LeadFunnelDocument, { range: Q1 })).leadFunnel;
    expect(other).toEqual([expect.objectContaining({ leads: 0, mqls: 0, mqlRate: null, winRate: null })]);
  });
});

describe('forecast', () => {
  /** First instant (UTC) of the month `offset` months from now, and its YYYY-MM label. */
  const month = (offset: number) => {
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    return { start, label: start.toISOString().slice(0, 7), mid: new Date(start.getTime() + 14 * 86_400_000).toISOString() };
  };

  test('open deals by month of expected close, from this month on, empty months included', async () => {
    const { ws, admin, pipeline, open: [s1, s2] } = await newBoard(t, 2); // probabilities 0.33 and 0.67
    const deal = async (stageId: string, value: number, expectedCloseDate?: string) =>
      ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId, title: 'F', value, expectedCloseDate } })).createDeal;
    await deal(s1.id, 100, month(0).mid);
    await deal(s1.id, 200, month(1).mid);
    await deal(s2.id, 300.5, month(1).start.toISOString());
    await deal(s2.id, 1000, month(3).mid);
    await deal(s2.id, 5000, month(-1).mid); // overdue: left out
    await deal(s2.id, 7000); // no date: left out
    await deal(s1.id, 4000, month(4).start.toISOString()); // just past a 4-month window
    const won = await deal(s1.id, 8000, month(1).mid);
    ok(await gql(t.url, admin, WinDealDocument, { id: won.id }));
    const deleted = await deal(s1.id, 9000, month(1).mid);
    ok(await gql(t.url, admin, DeleteDealDocument, { id: deleted.id }));

    const rows = ok(await gql(t.url, ws.token('ANALYST'), ForecastDocument, { pipelineId: pipeline.id, months: 4 })).forecast;
    expect(rows).toEqual([
      { month: month(0).label, dealCount: 1, value: 100, weightedValue: 33 },
      { month: month(1).label, dealCount: 2, value: 500.5, weightedValue: 267.335 }, // 200×0.33 + 300.5×0.67
      { month: month(2).label, dealCount: 0, value: 0, weightedValue: 0 },
      { month: month(3).label, dealCount: 1, value: 1000, weightedValue: 670 },
    ]);
    const year = ok(await gql(t.url, ws.token('REP'), ForecastDocument, { pipelineId: pipeline.id })).forecast;
    expect(year).toHaveLength(12);
    expect(year[4]).toEqual({ month: month(4).label, dealCount: 1, value: 4000, weightedValue: 1320 });
  });

  test('bad months and foreign pipelines are refused', async () => {
    const { ws, pipeline } = await newBoard(t, 2);
    const analyst = ws.token('ANALYST');
    expect(errorCodes(await gql(t.url, analyst, ForecastDocument, { pipelineId: pipeline.id, months: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, analyst, ForecastDocument, { pipelineId: pipeline.id, months: 61 }))).toEqual(['BAD_USER_INPUT']);
    const other = newWorkspace().token('ANALYST');
    expect(errorCodes(await gql(t.url, other, ForecastDocument, { pipelineId: pipeline.id }))).toEqual(['NOT_FOUND']);
  });
});
