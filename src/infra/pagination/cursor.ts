import { createHash } from 'node:crypto';
import { BadInputError, NotFoundError } from '../errors/domain-errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

interface CursorBody {
  /** Workspace the cursor was issued in. */
  w: string;
  /** The list it belongs to (see `listIdentity`). */
  o: string;
  /** Sort key values of the item, as PostgreSQL text. */
  k: string[];
}

/** The characters of a list's identity (`listIdentity`): 132 bits of its sha256, base64url. */
export const IDENTITY_LENGTH = 22;

/** What names a list (see `listIdentity`): its table, the column of its parent and its arguments. */
export interface ListParts {
  table: string;
  parentColumn: string;
  list: string;
}

/**
 * Names one list: its table, the parent it hangs from (a stage, a pipeline, the workspace),
 * its conditions and its ordering. A cursor carries it, so that a cursor is only ever read
 * by the list that issued it: the same sort keys mean another position in another list.
 */
export function listIdentity(parts: ListParts, parentId: string): string {
  const [before, after] = identityText(parts);
  return createHash('sha256').update(`${before}${JSON.stringify(parentId)}${after}`).digest('base64url').slice(0, IDENTITY_LENGTH);
}

/** The text `listIdentity` hashes, before and after the parent's id as JSON (the SQL answers hash it too). */
export function identityText(parts: ListParts): [string, string] {
  return [`[${JSON.stringify(parts.table)},${JSON.stringify(parts.parentColumn)},`, `,${JSON.stringify(parts.list)}]`];
}

/**
 * The text of a cursor's body before its keys, around the list's identity: padded with spaces
 * (JSON's own whitespace) to whole groups of three bytes, so that its base64 is the same prefix
 * of every cursor of the list and the SQL answers encode it once per list, not once per item.
 */
export function cursorHead(workspaceId: string): [string, string] {
  const before = `{"w":${JSON.stringify(workspaceId)},"o":"`;
  const after = '","k":[';
  const length = Buffer.byteLength(before) + IDENTITY_LENGTH + after.length;
  return [before, after + ' '.repeat((3 - (length % 3)) % 3)];
}

/** A cursor of the list `list` (a `listIdentity`): base64url of its body as JSON, `{"w":…,"o":…,"k":[…]}` with `cursorHead`'s padding. */
export function encodeCursor(workspaceId: string, list: string, keys: string[]): string {
  const [before, after] = cursorHead(workspaceId);
  return Buffer.from(`${before}${list}${after}${keys.map((k) => JSON.stringify(k)).join(',')}]}`).toString('base64url');
}

/**
 * The sort keys in a cursor. A cursor of another workspace answers NOT_FOUND, like an id
 * of another workspace; a damaged one or one of another list (`listIdentity`) is bad input.
 */
export function decodeCursor(cursor: string, workspaceId: string, list: string, keyCount: number): string[] {
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadInputError('The cursor is not valid', 'after');
  }
  const wellFormed = body && typeof body.w === 'string' && typeof body.o === 'string'
    && Array.isArray(body.k) && body.k.length === keyCount && body.k.every((k) => typeof k === 'string');
  if (!wellFormed) throw new BadInputError('The cursor is not valid', 'after');
  if (body.w !== workspaceId) throw new NotFoundError('cursor', cursor);
  if (body.o !== list) throw new BadInputError('The cursor belongs to another list (parent, filter or ordering)', 'after');
  return body.k;
}

/** `first` as given, within 0..500, 50 when absent. */
export function pageSize(first: number | null | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/**
 * Arguments as JSON that does not depend on how they were spelled: keys sorted, absent and
 * null fields left out (they mean the same), dates as ISO strings. Two lists with the same
 * conditions get the same text, so a cursor pages on whichever way the client wrote them.
 */
export function canonicalArgs(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : 1));
      return Object.fromEntries(entries.map(([k, x]) => [k, canonical(x)]));
    }
    return v;
  };
  return JSON.stringify(canonical(value) ?? null);
}
