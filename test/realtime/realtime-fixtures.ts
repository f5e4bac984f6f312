import { MoveDealDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { wsClient, WsClient } from '../helpers/ws-client';

/** A workspace with a pipeline (3 open stages, Won, Lost) and its admin token. */
export async function livePipeline(t: TestApp) {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 3);
  const [s1, s2, s3, won, lost] = pipeline.stages.map((s) => s.id);
  return { ws, admin, pipeline, stages: { s1, s2, s3, won, lost } };
}

export async function newDeal(t: TestApp, token: string, pipelineId: string, title = 'Deal', value = 100) {
  return createDeal(t.url, token, { pipelineId, title, value });
}

export async function move(t: TestApp, token: string, id: string, stageId: string) {
  return ok(await gql(t.url, token, MoveDealDocument, { id, stageId })).moveDeal;
}

/** A move as a client under contention makes it: CONFLICT says "retry", so it retries (a few times). */
export async function moveRetrying(t: TestApp, token: string, id: string, stageId: string) {
  for (let attempt = 1; ; attempt++) {
    const result = await gql(t.url, token, MoveDealDocument, { id, stageId });
    if (attempt < 5 && result.errors?.[0]?.extensions?.code === 'CONFLICT') continue;
    return ok(result).moveDeal;
  }
}

/** Resolves once the app has `count` local subscribers (a subscription is live only once registered). */
export async function subscribers(t: TestApp, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (t.app.realtime.dispatcher.subscriberCount < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} subscribers, have ${t.app.realtime.dispatcher.subscriberCount}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pipeline's last event seq so far: subscribing `after` it, a test sees exactly what it does next. */
export async function lastSeq(pipelineId: string): Promise<string> {
  const [row] = await sql<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM deal_events WHERE pipeline_id = $1', [pipelineId]);
  return row.seq;
}

/**
 * A test file's app and its WebSocket clients: the app starts before the file's tests (with
 * `env`) and stops after them; the clients a test opened are closed after it, and with `settle`
 * the test waits until the app counts no subscriber left.
 */
export function liveTestApp(env?: Record<string, string>, { settle = false } = {}) {
  const clients: WsClient[] = [];
  const live = {
    t: undefined as unknown as TestApp,
    /** The clients open now, in the order opened. */
    clients,
    open(token?: string): WsClient {
      const c = wsClient(live.t.url, token);
      clients.push(c);
      return c;
    },
  };
  beforeAll(async () => {
    live.t = await startTestApp(env);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    if (settle) await subscribers(live.t, 0).catch(() => undefined);
  });
  afterAll(() => live.t.stop());
  return live;
}
