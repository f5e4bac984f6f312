import { createHash } from 'node:crypto';
import { DocumentNode, print } from 'graphql';

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` are the same input. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes two requests "the same" for an Idempotency-Key: the document as graphql-js
 * prints it (layout and comments do not count), the operation name and the variables.
 */
export function requestFingerprint(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256').update(print(document)).update('\0').update(operationName ?? '').update('\0').update(canonical(variables ?? {})).digest('hex');
}
