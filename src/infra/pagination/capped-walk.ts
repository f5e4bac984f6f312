import { SqlParams } from '../db/sql-params';
import type { KeysetQuery, SortKey } from './keyset';

/**
 * How many rows of the list's ordered index a page reads, at most, looking for its matches
 * along the way. Past it the page takes the matching rows by their own index and sorts them:
 * at the cap the matches are under 1 % of the rows walked, so on a large list the sort is
 * about as cheap as the walk was, while a walk of rows that match further along (a recent
 * close date in creation order) has no bound at all.
 */
export function walkCap(first: number): number {
  return Math.max(1_000, 100 * (first + 1));
}

/**
 * `(a, b) > (x, y)` for any mix of directions, against SQL values: a >= x AND (a > x OR (a = x
 * AND b > y)). The first term says the same as the rest, but as a bound of the leading key, which
 * an index walk starts at: without it the walk starts at the list's beginning and skips every
 * row before the cursor (14.6 ms instead of 0.06 for a page 90,000 rows into a list), so paging
 * through a whole list would cost the square of its length.
 */
export function beyond(sort: SortKey[], values: string[]): string {
  const terms = sort.map((key, i) => {
    const equal = sort.slice(0, i).map((k, j) => `${k.sql} = ${values[j]}`);
    return `(${[...equal, `${key.sql} ${key.descending ? '<' : '>'} ${values[i]}`].join(' AND ')})`;
  });
  const [leading] = sort;
  return `(${leading.sql} ${leading.descending ? '<=' : '>='} ${values[0]} AND (${terms.join(' OR ')}))`;
}

/**
 * A SELECT of the first `limit` rows of a list in its order, over alias `t`: the table's
 * columns and the sort keys as text (`__k<i>`, unless `keys` is false). `bounds` are
 * conditions besides the query's own (its parent, its cursor, a part); `leading` an ORDER BY
 * term to put first (a part's column, constant within the part).
 *
 * PostgreSQL reads such a page by walking the index of its order and checking each row, and
 * stops after `limit` matches. It expects the matches spread evenly; when they lie far along
 * the order (deals closed last week, in creation order: 657,317 rows skipped on 1M deals)
 * that walk reads most of the table, and statistics cannot tell it otherwise. So when some of
 * the query's conditions are only checked along the walk (`KeysetQuery.split`), the page is
 * two branches of one UNION ALL, run one after the other under one LIMIT:
 * 1. the walk, its first `walkCap` rows (a LIMIT of its own), with the checked conditions
 *    applied to what it read: where the matches are dense, the page fills here and the second
 *    branch never starts;
 * 2. otherwise, the matches after the walk's last row (the row at the cap; none when the list
 *    ended before it): behind `OFFSET 0`, which keeps PostgreSQL from walking the order again,
 *    it takes them by their best index (deals_by_closing for a close date) and sorts them.
 * The branches' rows lie in list order one after the other, so the UNION needs no sort. They
 * all hang from the parent's row (a lateral reference), so no parallel Append can mix them.
 *
 * `matches`, SQL of how many rows the list holds when the statement counts them anyway
 * (`totalCount`), read before the page: a list with none reads no page (walked or not), and
 * one with at most `fewMatches` skips the walk and takes them by their best index and sorts
 * them, as branch 2 does. Such a walk could fill the page only on a short list, where the sort
 * costs as little, and otherwise reads its whole cap before branch 2 reads the matches anyway
 * (a pipeline's deals of one owner, by value: 2,100 rows for none of its 200).
 */
export function orderedRows(query: KeysetQuery, params: SqlParams, bounds: string[], limit: string,
  { leading, keys = true, checked: boundsChecked = [], matches }: WalkOptions = {}): string {
  const keyColumns = keys ? query.sort.map((k, i) => `, (${k.sql})::text AS __k${i}`).join('') : '';
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const ordered = leading ? `${leading}, ${orderBy}` : orderBy;
  const select = (conditions: string[]) => `SELECT t.*${keyColumns} FROM ${query.table} t WHERE ${conditions.join(' AND ')}`;
  const split = query.split?.(params);
  const narrowing = split ? split.narrowing : query.where(params);
  const checked = [...boundsChecked, ...(split?.checked ?? [])];
  // An index walk of the order that finds no match reads the parent's whole list (a pipeline's
  // deals of a source it has none of): with the list counted, an empty one reads nothing.
  if (!checked.length) return `${select([...bounds, ...narrowing, ...(matches ? [`${matches} > 0`] : [])])} ORDER BY ${ordered} LIMIT ${limit}`;
  const cap = walkCap(query.first);
  const walked = [...bounds, ...narrowing];
  const walkedRows = `FROM ${query.table} t WHERE ${walked.join(' AND ')} ORDER BY ${ordered}`;
  const walkEnd = `SELECT ${query.sort.map((k, i) => `${k.sql} AS __e${i}`).join(', ')} ${walkedRows} OFFSET ${cap - 1} LIMIT 1`;
  // The matches by their best index (`OFFSET 0`: planned apart, for all of them, not for the
  // order's first rows), checked before anything else: PostgreSQL checks a range before the
  // equalities, and the range against the walk's end holds for nearly every row it reads.
  const matching = `(SELECT t.* FROM ${query.table} t WHERE ${[...walked, ...checked].join(' AND ')} OFFSET 0) t`;
  const endBound = beyond(query.sort, query.sort.map((_, i) => `__end.__e${i}`));
  // Each branch has a LIMIT of its own: a UNION's children are planned for every row, and the
  // walk's, passed down to it, tells PostgreSQL that a page needs the first few rows, not the
  // cap's (else it reads and sorts a whole owner's deals for one page of them). Sort keys as text
  // for the rows a branch returns, not for every row it reads. A condition on `matches` alone
  // is checked once, before its branch reads anything.
  const walking = matches ? `${matches} > ${fewMatches(query.first)}` : '';
  const capped = `(${walkedMatches(query.table, split?.walkColumns, walkedRows, cap, [...checked, ...(walking ? [walking] : [])], limit, keyColumns, orderBy)})
    UNION ALL
    (SELECT t.*${keyColumns} FROM (${walkEnd}) __end
      CROSS JOIN LATERAL (SELECT t.* FROM ${matching} WHERE ${endBound} OFFSET 0) t${walking ? ` WHERE ${walking}` : ''}
      ORDER BY ${orderBy} LIMIT ${limit})`;
  if (!matches) return `${capped}
    LIMIT ${limit}`;
  return `${capped}
    UNION ALL
    (SELECT t.*${keyColumns} FROM ${matching} WHERE ${matches} BETWEEN 1 AND ${fewMatches(query.first)} ORDER BY ${orderBy} LIMIT ${limit})
    LIMIT ${limit}`;
}

/**
 * The first `limit` rows of a walk's first `cap` rows (`walkedRows`: FROM … ORDER BY) that meet
 * `conditions`, in the walk's order. With `walkColumns` (`KeysetQuery.split`), the walk reads only those columns and
 * the order's, which its index carries: PostgreSQL reads no table row for the rows it passes
 * (a pipeline's OPEN deals by value: 2,000 index entries, not 2,000 rows, for a page of 50), and
 * each match's row by its key, in walk order (a lateral join runs once per match, in turn).
 */
function walkedMatches(table: string, walkColumns: readonly string[] | undefined, walkedRows: string, cap: number, conditions: string[],
  limit: string, keyColumns: string, orderBy: string): string {
  if (!walkColumns) return `SELECT t.*${keyColumns} FROM (SELECT t.* ${walkedRows} LIMIT ${cap}) t WHERE ${conditions.join(' AND ')} LIMIT ${limit}`;
  const columns = ['id', ...walkColumns].map((c) => `t.${c}`).join(', ');
  // `OFFSET 0`: pulled up into a join, the rows could come back in another order (a hash join
  // on a small table); the ORDER BY sorts the page's few rows, whatever the join.
  return `SELECT t.*${keyColumns} FROM (SELECT t.id FROM (SELECT ${columns} ${walkedRows} LIMIT ${cap}) t WHERE ${conditions.join(' AND ')} LIMIT ${limit}) __match
      CROSS JOIN LATERAL (SELECT t.* FROM ${table} t WHERE t.id = __match.id OFFSET 0) t ORDER BY ${orderBy}`;
}

/** At most this many matches, a capped walk is skipped (`orderedRows`, `matches`). */
export function fewMatches(first: number): number {
  return 10 * (first + 1);
}

export interface WalkOptions {
  /** An ORDER BY term to put first (a part's column, constant within the part). */
  leading?: string;
  /** Whether to return the sort keys as text (`__k<i>`); default true. */
  keys?: boolean;
  /** Conditions besides the query's own checked along the walk (a parent's, `ParentScope.checked`). */
  checked?: string[];
  /** SQL of how many rows the list holds, where the statement counts them before its page. */
  matches?: string;
}
