import { CreateLeadDocument, CreateLeadInput, DealDocument, MeDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, TestApp, TestWorkspace } from '../helpers/test-app';
import { createPipeline } from './pipeline.factory';

type Pipeline = Awaited<ReturnType<typeof createPipeline>>;
type StageOf = Pipeline['stages'][number];

/** A fresh workspace with an admin token and one pipeline: `open` OPEN stages, then Won and Lost. */
export interface Board {
  ws: TestWorkspace;
  admin: string;
  pipeline: Pipeline;
  open: StageOf[];
  won: StageOf;
  lost: StageOf;
}

export async function newBoard(t: TestApp, open = 3): Promise<Board> {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, open);
  return {
    ws, admin, pipeline,
    open: pipeline.stages.filter((s) => s.kind === 'OPEN'),
    won: pipeline.stages.find((s) => s.kind === 'WON')!,
    lost: pipeline.stages.find((s) => s.kind === 'LOST')!,
  };
}

/** Signs a user in once, so that the workspace knows them (owners must exist to be named). */
export async function signIn(t: TestApp, token: string): Promise<void> {
  ok(await gql(t.url, token, MeDocument));
}

export async function createLead(t: TestApp, token: string, input: Partial<CreateLeadInput> = {}) {
  return ok(await gql(t.url, token, CreateLeadDocument, { input: { name: 'Ada Lovelace', source: 'INBOUND', ...input } })).createLead;
}

/** The deal as the API shows it now, with its history. */
export async function readDeal(t: TestApp, token: string, id: string) {
  return ok(await gql(t.url, token, DealDocument, { id })).deal!;
}

/** `deal_events` rows of a deal, oldest first, read straight from the database. */
export async function eventsOf(dealId: string) {
  return sql<{ type: string; from_stage_id: string | null; to_stage_id: string | null; actor: string | null }>(
    `SELECT e.type, e.from_stage_id, e.to_stage_id, u.external_id AS actor
     FROM deal_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.deal_id = $1 ORDER BY e.seq`,
    [dealId],
  );
}

/** How many rows of `table` belong to a workspace, read straight from the database. */
export async function countRows(table: 'deals' | 'leads' | 'pipelines' | 'stages' | 'activities' | 'stage_changes' | 'deal_events',
  workspaceId: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
  return n;
}

/**
 * Every row count of a workspace, and the state of its deals, leads and stages: a failed
 * write must leave all of it as it was.
 */
export async function snapshot(workspaceId: string) {
  const tables = ['deals', 'leads', 'pipelines', 'stages', 'activities', 'stage_changes', 'deal_events'] as const;
  const counts = await Promise.all(tables.map((table) => countRows(table, workspaceId)));
  const [state] = await sql<Record<string, string | null>>(
    `SELECT
       (SELECT string_agg(concat_ws(':', id, version, stage_id, status, updated_at, deleted_at), ',' ORDER BY id) FROM deals WHERE workspace_id = $1) AS deals_state,
       (SELECT string_agg(concat_ws(':', id, status, updated_at, owner_id), ',' ORDER BY id) FROM leads WHERE workspace_id = $1) AS leads_state,
       (SELECT string_agg(concat_ws(':', id, name, position, probability, rotting_after_days), ',' ORDER BY id) FROM stages WHERE workspace_id = $1) AS stages_state,
       (SELECT string_agg(concat_ws(':', id, done_at), ',' ORDER BY id) FROM activities WHERE workspace_id = $1) AS activities_state`,
    [workspaceId]);
  return { ...Object.fromEntries(tables.map((table, i) => [table, counts[i]])), ...state };
}

/** A well-formed id that names nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
