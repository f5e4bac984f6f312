/** Runs one SQL statement and returns its rows: a dedicated pg client or the app's pool. */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
