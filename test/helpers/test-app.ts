import { randomUUID } from 'node:crypto';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute } from 'graphql';
import { GraphQLResult } from './graphql';
import { createContext } from '../../src/context';
import { App, AppHooks, createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { signToken } from '../../src/infra/auth/token';
import { Role } from '../../src/features/workspaces/role';
import { TEST_DATABASE_URL } from './database';

export const TEST_JWT_SECRET = 'test-secret-of-sufficient-length';

/** Whether a statement builds a whole answer's JSON text (infra/sql-answers): every answer closes an object. */
export const buildsAnswer = (statement: string | undefined) => Boolean(statement?.includes(` || '}'`));

export interface TestApp {
  app: App;
  url: string;
  /** SQL statements sent since the app started; tests reset it with `statements.length = 0`. */
  statements: string[];
  /** The same statements with their parameters, for a test that runs one again (EXPLAIN); reset it apart. */
  sent: { sql: string; parameters: unknown[] }[];
  stop(): Promise<void>;
}

/** A real app on a free port, on the test PostgreSQL (already migrated by global-setup). */
export async function startTestApp(env: Record<string, string> = {}, hooks: Omit<AppHooks, 'onQuery'> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: TEST_DATABASE_URL, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', MIGRATE: 'false',
    // No background folding of the stage-visit backlog and tallies: it would add statements to
    // the counts tests take (test/reports/stage-tallies.test.ts turns it on where it is the
    // subject; reports catch the visits up themselves).
    // Nor a stall detector: it scans every workspace, and tests that count statements or events
    // would see its work (test/realtime/stall-events.test.ts turns it on, on a database of its own).
    NODE_ENV: 'test', DB_POOL_SIZE: '8', REPORT_FOLD_INTERVAL_MS: '0', STALL_CHECK_INTERVAL_MS: '0', ...env,
  });
  const statements: string[] = [];
  const sent: { sql: string; parameters: unknown[] }[] = [];
  const app = await createApp(config, { ...hooks, onQuery: (q, parameters = []) => { statements.push(q); sent.push({ sql: q, parameters }); } });
  const url = await app.start();
  return { app, url, statements, sent, stop: () => app.stop() };
}

export interface TestWorkspace {
  id: string;
  /** A token of this workspace; `sub` defaults to one user per role. */
  token(role: `${Role}`, sub?: string): string;
}

/** A fresh workspace id: tests never share data, so they need no clean-up and run in parallel. */
export function newWorkspace(): TestWorkspace {
  const id = `ws-${randomUUID()}`;
  return {
    id,
    token: (role, sub = `${role.toLowerCase()}-user`) => signToken({ sub, wid: id, role: role as Role, name: `${role} user` }, TEST_JWT_SECRET),
  };
}

/**
 * A document as the resolvers alone answer it: graphql-js executing it in process with the
 * app's schema and a request context of `token`, with no answer built by PostgreSQL first;
 * serialised as JSON, as a client reads it.
 */
export async function resolversAnswer<T>(t: TestApp, token: string, document: TypedDocumentNode<T, any>,
  variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  const { dataSource, services, schema, config } = t.app;
  const contextValue = await createContext({ dataSource, services, afterCommit: () => {} }, token, config.jwtSecret);
  const { data, errors } = await execute({ schema, document, variableValues: variables, contextValue });
  return { status: 200, data: data && JSON.parse(JSON.stringify(data)) as T, errors: errors?.map((e) => e.toJSON() as NonNullable<GraphQLResult<T>['errors']>[number]) };
}
