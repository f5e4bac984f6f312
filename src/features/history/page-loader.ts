import DataLoader from 'dataloader';
import { Page } from '../../infra/pagination/connection.types';
import type { ValuePageArgs } from './value-page';

/** Names one page of one list (a movement, a stage): the list, the page size and the cursor. */
export const pageKey = (list: string, args: ValuePageArgs) => JSON.stringify([list, args.first ?? null, args.after ?? null]);

/** Takes the pages out of a statement's rows: page `spec` (its index among the statement's pages) of list `key`. */
export type PagesIn<K, T> = (spec: number, key: K) => Page<T>;

/**
 * The pages of a read's lists: those in `answered` (fetched with the read's figures), and the
 * others fetched when asked, one statement per page size for every cursor asked with it.
 * `fetch` runs the read with those pages (its `spec` index is a page's position in `specs`);
 * `pagesIn` reads the pages out of its rows.
 */
export function pageLoader<K extends ValuePageArgs, T, R>(listOf: (key: K) => string, answered: Map<string, Page<T>>,
  fetch: (specs: ValuePageArgs[]) => Promise<R[]>, pagesIn: (rows: R[]) => PagesIn<K, T>): DataLoader<K, Page<T>, string> {
  const cacheKeyFn = (key: K) => pageKey(listOf(key), key);
  return new DataLoader<K, Page<T>, string>(async (keys) => {
    const missing = keys.filter((key) => !answered.has(cacheKeyFn(key)));
    for (const first of new Set(missing.map((key) => key.first ?? null))) {
      const asked = missing.filter((key) => (key.first ?? null) === first);
      const specs = [...new Map(asked.map((key) => [key.after ?? null, { first, after: key.after }])).values()];
      const pageOf = pagesIn(await fetch(specs));
      for (const key of asked) {
        answered.set(cacheKeyFn(key), pageOf(specs.findIndex((s) => (s.after ?? null) === (key.after ?? null)), key));
      }
    }
    return keys.map((key) => answered.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });
}

/** A statement's page rows grouped once by page and list (`spec list`), each group in the statement's order. */
export function groupPageRows<R>(rows: R[], keyOf: (row: R) => string | null): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
