import { BadInputError } from '../errors/domain-errors';

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

/**
 * A value of a small enum written into the statement as a literal, not a parameter: each value
 * then has a statement of its own, which PostgreSQL plans once for that value (from its
 * statistics) and keeps. Use it where the best plan depends on which value is asked and the
 * values are few: a plan for all values would fit the average value, and a plan for each
 * execution costs its planning every time. `values` is the enum; anything else is refused.
 */
export function enumLiteral(value: string, values: Record<string, string>, sqlType: string, field: string): string {
  if (!Object.values(values).includes(value)) throw new BadInputError(`Unknown value ${JSON.stringify(value)}`, field);
  return `'${value}'::${sqlType}`;
}

/** Escapes LIKE wildcards so a search string matches literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
