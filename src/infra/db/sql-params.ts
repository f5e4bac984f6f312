/** Collects positional parameters while a statement is assembled: `params.add(v)` gives `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A value a statement works out itself: SQL over the statement's parameters (an owner named by external id). */
export class SqlValue {
  constructor(readonly sql: (params: SqlParams) => string) {}
}

/** Escapes LIKE wildcards so a search string matches literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
