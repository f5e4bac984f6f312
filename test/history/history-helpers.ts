import { DeleteDealDocument, LoseDealDocument, MoveDealDocument, ReopenDealDocument, UpdateDealDocument, WinDealDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { TestApp } from '../helpers/test-app';

/** The database clock now: a moment strictly between the writes before and after it. */
export async function mark(): Promise<string> {
  const [{ now }] = await sql<{ now: Date }>('SELECT clock_timestamp() AS now');
  return now.toISOString();
}

/** Deal writes through the API, as a test story tells them. */
export function dealWrites(t: TestApp, token: string) {
  const run = async <T>(result: Promise<{ data?: T | null; errors?: unknown }>) => ok(await result as never) as T;
  return {
    update: (id: string, input: Record<string, unknown>) => run(gql(t.url, token, UpdateDealDocument, { id, input })),
    move: (id: string, stageId: string) => run(gql(t.url, token, MoveDealDocument, { id, stageId })),
    win: (id: string) => run(gql(t.url, token, WinDealDocument, { id })),
    lose: (id: string, reason = 'Lost to a rival') => run(gql(t.url, token, LoseDealDocument, { id, reason })),
    reopen: (id: string) => run(gql(t.url, token, ReopenDealDocument, { id })),
    remove: (id: string) => run(gql(t.url, token, DeleteDealDocument, { id })),
  };
}
