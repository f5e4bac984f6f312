import { BadInputError, NotFoundError } from '../errors/domain-errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

interface CursorBody {
  /** Workspace the cursor was issued in. */
  w: string;
  /** The ordering it belongs to. */
  o: string;
  /** Sort key values of the item, as PostgreSQL text. */
  k: string[];
}

export function encodeCursor(workspaceId: string, ordering: string, keys: string[]): string {
  const body: CursorBody = { w: workspaceId, o: ordering, k: keys };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/**
 * The sort keys in a cursor. A cursor of another workspace answers NOT_FOUND, like an id
 * of another workspace; a damaged one or one of another ordering is bad input.
 */
export function decodeCursor(cursor: string, workspaceId: string, ordering: string, keyCount: number): string[] {
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
  if (body.o !== ordering) throw new BadInputError('The cursor belongs to another ordering', 'after');
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
