/**
 * A connection with each cursor (`cursor`, `startCursor`, `endCursor`) replaced by the
 * position it holds (its sort keys), leaving out the list it belongs to: for comparing two
 * lists with the same rows in the same order, such as a workspace's and its only pipeline's,
 * whose cursors differ by design (each list reads only its own).
 */
export function positionsOnly<T>(value: T): T {
  if (Array.isArray(value)) return value.map(positionsOnly) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => {
    if (/^(cursor|startCursor|endCursor)$/.test(key) && typeof v === 'string') {
      return [key, JSON.parse(Buffer.from(v, 'base64url').toString('utf8')).k];
    }
    return [key, positionsOnly(v)];
  })) as T;
}
