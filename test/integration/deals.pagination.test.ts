import { DealFilter, DealOrder, DealsDocument, MoveDealDocument, StageColumnDocument, UpdateDealDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, GraphQLResult, ok, untyped } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { Board, newBoard } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** Pages through `deals` `size` at a time; `between(page)` runs after each page (to insert rows). */
async function pageThrough(token: string, orderBy: DealOrder[] | undefined, size: number, between?: (page: number) => Promise<void>,
  filter?: DealFilter) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 1; page < 50; page++) {
    const data: Awaited<ReturnType<typeof readPage>> = await readPage(token, orderBy, size, after, filter);
    seen.push(...data.nodes.map((d) => d.title));
    expect(data.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(data.edges.map((e) => e.cursor)).toHaveLength(data.nodes.length);
    if (!data.pageInfo.hasNextPage) return seen;
    after = data.pageInfo.endCursor;
    await between?.(page);
  }
  throw new Error('never reached the last page');
}

async function readPage(token: string, orderBy: DealOrder[] | undefined, first: number | undefined, after: string | null, filter?: DealFilter) {
  return ok(await gql(t.url, token, DealsDocument, { orderBy, first, after, filter })).deals;
}

describe('one field at a time, both directions', () => {
  let b: Board;
  const add = (title: string, value: number, expectedCloseDate?: string) =>
    createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title, value, expectedCloseDate });

  beforeAll(async () => {
    b = await newBoard(t);
    await add('Delta', 300, '2027-03-01T00:00:00.000Z');
    const alpha = await add('Alpha', 100);
    const charlie = await add('Charlie', 400, '2027-01-15T00:00:00.000Z');
    const bravo = await add('Bravo', 200);
    await add('Echo', 150, '2027-02-10T00:00:00.000Z');
    await add('Foxtrot', 500, '2027-01-20T00:00:00.000Z');
    // Touch Charlie (renamed, and named back: an edit to the title it has would change nothing), then
    // move Bravo and Alpha: updatedAt and stageEnteredAt now differ from createdAt.
    ok(await gql(t.url, b.admin, UpdateDealDocument, { id: charlie.id, input: { title: 'Charlie, renamed' } }));
    ok(await gql(t.url, b.admin, UpdateDealDocument, { id: charlie.id, input: { title: 'Charlie' } }));
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: bravo.id, stageId: b.open[1].id }));
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: alpha.id, stageId: b.open[1].id }));
  });

  test.each<[DealOrder['field'], string[]]>([
    ['CREATED_AT', ['Delta', 'Alpha', 'Charlie', 'Bravo', 'Echo', 'Foxtrot']],
    ['VALUE', ['Alpha', 'Echo', 'Bravo', 'Delta', 'Charlie', 'Foxtrot']],
    ['TITLE', ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot']],
    ['UPDATED_AT', ['Delta', 'Echo', 'Foxtrot', 'Charlie', 'Bravo', 'Alpha']],
    ['STAGE_ENTERED_AT', ['Delta', 'Charlie', 'Echo', 'Foxtrot', 'Bravo', 'Alpha']],
  ])('%s ascending and descending, two at a time, match the whole list', async (field, ascending) => {
    expect(await pageThrough(b.admin, [{ field, direction: 'ASC' }], 2)).toEqual(ascending);
    expect(await pageThrough(b.admin, [{ field, direction: 'DESC' }], 2)).toEqual([...ascending].reverse());
    const whole = await readPage(b.admin, [{ field, direction: 'ASC' }], 500, null);
    expect(whole.nodes.map((d) => d.title)).toEqual(ascending);
    // The deals lie in two stages: naming both (one twice) reads a page of each and merges them.
    const stages = { stageIds: [b.open[1].id, b.open[0].id, b.open[1].id] };
    t.statements.length = 0;
    expect(await pageThrough(b.admin, [{ field, direction: 'ASC' }], 2, undefined, stages)).toEqual(ascending);
    // Each page, the first and those after a cursor, reads a page per stage (not `= ANY`, which
    // walks the workspace's whole list in order, from its start).
    const reads = t.statements.filter((q) => /\bFROM deals t\b/.test(q));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.filter((q) => !/AS s\(part\) CROSS JOIN LATERAL/.test(q))).toEqual([]);
    expect(await pageThrough(b.admin, [{ field, direction: 'DESC' }], 2, undefined, stages)).toEqual([...ascending].reverse());
    expect((await readPage(b.admin, [{ field, direction: 'DESC' }], 1, null, stages)).totalCount).toBe(ascending.length);
  });

  test('EXPECTED_CLOSE_DATE: deals without a date come last in either direction, one page at a time', async () => {
    const asc = await pageThrough(b.admin, [{ field: 'EXPECTED_CLOSE_DATE', direction: 'ASC' }, { field: 'TITLE', direction: 'ASC' }], 1);
    expect(asc).toEqual(['Charlie', 'Foxtrot', 'Echo', 'Delta', 'Alpha', 'Bravo']);
    const desc = await pageThrough(b.admin, [{ field: 'EXPECTED_CLOSE_DATE', direction: 'DESC' }, { field: 'TITLE', direction: 'ASC' }], 1);
    expect(desc).toEqual(['Delta', 'Echo', 'Foxtrot', 'Charlie', 'Alpha', 'Bravo']);
  });

  test('the default order is oldest first; totalCount and pageInfo describe the whole list', async () => {
    const first = await readPage(b.admin, undefined, 4, null);
    expect(first.nodes.map((d) => d.title)).toEqual(['Delta', 'Alpha', 'Charlie', 'Bravo']);
    expect(first.totalCount).toBe(6);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0].cursor, endCursor: first.edges[3].cursor });
    const rest = await readPage(b.admin, undefined, 4, first.pageInfo.endCursor);
    expect(rest.nodes.map((d) => d.title)).toEqual(['Echo', 'Foxtrot']);
    expect(rest.totalCount).toBe(6);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const exact = await readPage(b.admin, undefined, 6, null);
    expect(exact.pageInfo.hasNextPage).toBe(false);
    const none = await readPage(b.admin, undefined, 0, null);
    expect(none).toMatchObject({ nodes: [], totalCount: 6, pageInfo: { hasNextPage: true, startCursor: null, endCursor: null } });
    const empty = await readPage(b.admin, undefined, 10, exact.pageInfo.endCursor);
    expect(empty).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });

  test('first over 500 or negative, a field ordered twice, a damaged cursor and a cursor of another ordering are BAD_USER_INPUT', async () => {
    const page = await readPage(b.admin, [{ field: 'VALUE', direction: 'ASC' }], 2, null);
    expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { after: 'not a cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { after: Buffer.from('{"w":1}').toString('base64url') }))).toEqual(['BAD_USER_INPUT']);
    const twice = await gql(t.url, b.admin, DealsDocument, { orderBy: [{ field: 'VALUE', direction: 'ASC' }, { field: 'VALUE', direction: 'DESC' }] });
    expect(errorCodes(twice)).toEqual(['BAD_USER_INPUT']);
    const otherOrdering = await gql(t.url, b.admin, DealsDocument, { orderBy: [{ field: 'TITLE', direction: 'ASC' }], after: page.pageInfo.endCursor });
    expect(errorCodes(otherOrdering)).toEqual(['BAD_USER_INPUT']);
    expect((await readPage(b.admin, undefined, 500, null)).nodes).toHaveLength(6);
  });

  test('a tampered cursor is BAD_USER_INPUT, whatever it was changed to', async () => {
    const page = await readPage(b.admin, [{ field: 'VALUE', direction: 'ASC' }], 2, null);
    const body = JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString());
    const forge = (keys: unknown) => Buffer.from(JSON.stringify({ ...body, k: keys })).toString('base64url');
    for (const keys of [['lots', body.k[1]], [body.k[0], 'not-a-uuid'], [body.k[0]], [1, 2], ['1e999999', body.k[1]]]) {
      const result = await gql(t.url, b.admin, DealsDocument, { orderBy: [{ field: 'VALUE', direction: 'ASC' }], after: forge(keys) });
      expect([keys, errorCodes(result)]).toEqual([keys, ['BAD_USER_INPUT']]);
    }
    const byDate = await readPage(b.admin, [{ field: 'CREATED_AT', direction: 'DESC' }], 1, null);
    const dateBody = JSON.parse(Buffer.from(byDate.pageInfo.endCursor!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...dateBody, k: ['yesterday-ish', dateBody.k[1]] })).toString('base64url');
    const result = await gql(t.url, b.admin, DealsDocument, { orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }], after: forged });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

test('first defaults to 50', async () => {
  const b = await newBoard(t);
  await Promise.all(Array.from({ length: 51 }, (_, i) => createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: `D${i}`, value: i })));
  const page = await readPage(b.admin, undefined, undefined, null);
  expect(page.nodes).toHaveLength(50);
  expect(page.totalCount).toBe(51);
  expect(page.pageInfo.hasNextPage).toBe(true);
});

describe('inserts between pages', () => {
  test('created-at order: every deal once, new ones at the end', async () => {
    const b = await newBoard(t);
    for (const title of ['A1', 'A2', 'A3', 'A4', 'A5']) await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title, value: 1 });
    const seen = await pageThrough(b.admin, undefined, 2, async (page) => {
      await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: `New${page}`, value: 1 });
    });
    expect(seen).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'New1', 'New2', 'New3']);
  });

  test('value descending then title ascending: rows before the cursor stay unseen, rows after it show up once', async () => {
    const b = await newBoard(t);
    const add = (title: string, value: number) => createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title, value });
    for (const [title, value] of [['Kilo', 200], ['Alpha', 200], ['Mike', 100], ['Bravo', 300], ['Juliet', 200], ['Lima', 100]] as const) {
      await add(title, value);
    }
    const order: DealOrder[] = [{ field: 'VALUE', direction: 'DESC' }, { field: 'TITLE', direction: 'ASC' }];
    const seen = await pageThrough(b.admin, order, 2, async (page) => {
      if (page === 1) { // after (300 Bravo), (200 Alpha)
        await add('Hotel', 200); // after the cursor: must show up
        await add('Zulu', 999); // before it: must not
      }
      if (page === 2) { // after (200 Hotel), (200 Juliet)
        await add('Aardvark', 200); // before
        await add('Papa', 50); // after
      }
    });
    expect(seen).toEqual(['Bravo', 'Alpha', 'Hotel', 'Juliet', 'Kilo', 'Lima', 'Mike', 'Papa']);
  });

  test('expected close date descending with nulls: a deal inserted among the nulls is not skipped', async () => {
    const b = await newBoard(t);
    const add = (title: string, expectedCloseDate?: string) => createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title, value: 1, expectedCloseDate });
    await add('Early', '2027-01-01T00:00:00.000Z');
    await add('Late', '2027-06-01T00:00:00.000Z');
    await add('Open-ended B');
    await add('Open-ended D');
    const order: DealOrder[] = [{ field: 'EXPECTED_CLOSE_DATE', direction: 'DESC' }, { field: 'TITLE', direction: 'ASC' }];
    const seen = await pageThrough(b.admin, order, 3, async () => {
      await add('Open-ended C'); // after the cursor (Open-ended B) among the nulls
      await add('Open-ended A'); // before it
      await add('Middle', '2027-03-01T00:00:00.000Z'); // before it
    });
    expect(seen).toEqual(['Late', 'Early', 'Open-ended B', 'Open-ended C', 'Open-ended D']);
  });
});

describe('matches far along the order, past the walk a page reads before it takes them by their own index', () => {
  // 2,500 deals a minute apart in two stages; 14 closed in November: the 3rd oldest, three in
  // the middle and the 10 newest. A page walks at most 1,000 rows of its order looking for
  // them (infra/pagination/capped-walk.ts), then reads the rest by close date: pages meet
  // across that seam in both directions, on the first page (the SQL answer) and after a cursor.
  let b: Board;
  const filter: DealFilter = { closedAfter: '2026-11-01T00:00:00.000Z' };
  const bulk = (i: number) => `Bulk ${String(i).padStart(4, '0')}`;
  const oldestFirst = [3, 1500, 1501, 1502, 2491, 2492, 2493, 2494, 2495, 2496, 2497, 2498, 2499, 2500].map(bulk);
  beforeAll(async () => {
    b = await newBoard(t);
    await sql(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, status, created_at, closed_at)
      SELECT $1, 'Bulk ' || lpad(i::text, 4, '0'), i, $2, (CASE WHEN i % 2 = 0 THEN $3 ELSE $4 END)::uuid,
        (CASE WHEN i % 2 = 0 THEN 'WON' ELSE 'LOST' END)::deal_status, timestamptz '2026-01-01' + i * interval '1 minute',
        CASE WHEN i = 3 OR i BETWEEN 1500 AND 1502 OR i > 2490 THEN timestamptz '2026-11-20' ELSE timestamptz '2026-02-01' END
      FROM generate_series(1, 2500) i`, [b.ws.id, b.pipeline.id, b.won.id, b.lost.id]);
  });

  test.each([1, 2, 5])('the workspace\'s list and two stages\' merged, %i at a time, oldest and newest first', async (size) => {
    const oldest: DealOrder[] = [{ field: 'CREATED_AT', direction: 'ASC' }];
    const newest: DealOrder[] = [{ field: 'CREATED_AT', direction: 'DESC' }];
    expect(await pageThrough(b.admin, oldest, size, undefined, filter)).toEqual(oldestFirst);
    expect(await pageThrough(b.admin, newest, size, undefined, filter)).toEqual([...oldestFirst].reverse());
    const stages = { ...filter, stageIds: [b.won.id, b.lost.id] };
    expect(await pageThrough(b.admin, oldest, size, undefined, stages)).toEqual(oldestFirst);
    expect(await pageThrough(b.admin, newest, size, undefined, stages)).toEqual([...oldestFirst].reverse());
    expect((await readPage(b.admin, oldest, size, null, filter)).totalCount).toBe(14);
  });

  test("the pipeline's list pages across the seam too", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = ok(await gql(t.url, b.admin, COLUMN, { id: b.pipeline.id, first: 2, after, filter })).pipeline.deals;
      seen.push(...page.nodes.map((d: { title: string }) => d.title));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(oldestFirst);
  });
});

const COLUMN = untyped(`query Column($id: ID!, $first: Int, $after: String, $orderBy: [DealOrder!], $filter: DealFilter) {
  pipeline(id: $id) { deals(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount nodes { title } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`);

/** The errors' codes and `extensions.field`s, in order. */
const refusals = (result: GraphQLResult<unknown>) => (result.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.field]);

describe('a cursor belongs to its list', () => {
  let b: Board;
  const order: DealOrder[] = [{ field: 'TITLE', direction: 'DESC' }];
  beforeAll(async () => {
    b = await newBoard(t, 2);
    for (const title of ['C1', 'C2', 'C3', 'C4', 'C5']) await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: b.open[0].id, title, value: 1 });
    for (const title of ['N1', 'N2']) await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: b.open[1].id, title, value: 1 });
  });
  const column = async (filter: object, after: string | null, orderBy = order) =>
    gql(t.url, b.admin, COLUMN, { id: b.pipeline.id, first: 2, after, orderBy, filter });

  test('a column pages on with its own cursors, however its filter is spelled', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      // The same conditions spelled two ways (an explicit null is no condition) share cursors.
      const filter = after ? { stageIds: [b.open[0].id], search: null } : { stageIds: [b.open[0].id] };
      const page: any = ok(await column(filter, after)).pipeline.deals;
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.nodes.map((d: { title: string }) => d.title));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['C5', 'C4', 'C3', 'C2', 'C1']);
  });

  test("another column's, another filter's, another ordering's or another parent's cursor is BAD_USER_INPUT at after", async () => {
    const cursorOf = async (filter: object) => (ok(await column(filter, null)).pipeline.deals as any).pageInfo.endCursor as string;
    const first = await cursorOf({ stageIds: [b.open[0].id] });
    expect(refusals(await column({ stageIds: [b.open[1].id] }, first))).toEqual([['BAD_USER_INPUT', 'after']]);
    expect(refusals(await column({ stageIds: [b.open[0].id], valueMin: 0 }, first))).toEqual([['BAD_USER_INPUT', 'after']]);
    expect(refusals(await column({ stageIds: [b.open[0].id] }, first, [{ field: 'TITLE', direction: 'ASC' }])))
      .toEqual([['BAD_USER_INPUT', 'after']]);
    // The workspace's list with the same arguments is another list than the pipeline's.
    const inWorkspace = await gql(t.url, b.admin, DealsDocument, { first: 2, after: first, orderBy: order, filter: { stageIds: [b.open[0].id] } });
    expect(refusals(inWorkspace)).toEqual([['BAD_USER_INPUT', 'after']]);
  });

  test("a board column's cursor is read by that column alone", async () => {
    const board = ok(await gql(t.url, b.admin, StageColumnDocument, { id: b.pipeline.id, first: 2, orderBy: order })).pipeline!;
    const cursor = board.stages[0].deals.pageInfo.endCursor!;
    // Every other column, and the pipeline's own list, refuse it rather than page from it.
    const result = await gql(t.url, b.admin, StageColumnDocument, { id: b.pipeline.id, first: 2, after: cursor, orderBy: order });
    const fields = refusals(result);
    expect(fields.length).toBeGreaterThan(0);
    expect(new Set(fields.map(String))).toEqual(new Set(['BAD_USER_INPUT,after']));
    expect(result.data?.pipeline ?? null).toBeNull();
  });
});
