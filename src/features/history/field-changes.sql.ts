import { dateTimeJson } from '../../infra/sql-answers/json-fields';
import { DealField } from './field-change.type';

/** How each tracked field is compared (its column) and shown (SQL over a column reference). */
const TRACKED: Record<DealField, { column: string; shown: (column: string) => string }> = {
  [DealField.TITLE]: { column: 'title', shown: (c) => c },
  [DealField.VALUE]: { column: 'value', shown: (c) => `(${c})::numeric(14,2)::text` },
  [DealField.STAGE]: { column: 'stage_id', shown: (c) => `(${c})::text` },
  [DealField.STATUS]: { column: 'status', shown: (c) => `(${c})::text` },
  // The API names users by their external id (the token's `sub`).
  [DealField.OWNER]: { column: 'owner_id', shown: (c) => `(SELECT external_id FROM users WHERE id = ${c})` },
  [DealField.EXPECTED_CLOSE_DATE]: { column: 'expected_close_date', shown: dateTimeJson },
  [DealField.LOST_REASON]: { column: 'lost_reason', shown: (c) => c },
};

/**
 * SQL for the `changes` of a write: a jsonb array of `{field, from, to}`, in DealField order,
 * of the tracked fields whose value differs between `before` and `after` (each maps a column
 * name to SQL reading it; `before` of a creation reads NULL, so every set field appears).
 * Only differing fields are rendered, so an owner's id is looked up only when the owner changed.
 */
export function fieldChangesSql(before: (column: string) => string, after: (column: string) => string): string {
  const entries = Object.entries(TRACKED).map(([field, { column, shown }]) => {
    const [from, to] = [before(column), after(column)];
    return `CASE WHEN ${from} IS DISTINCT FROM ${to} THEN jsonb_build_object('field', '${field}', 'from', ${shown(from)}, 'to', ${shown(to)}) END`;
  });
  return `to_jsonb(array_remove(ARRAY[${entries.join(',\n      ')}]::jsonb[], NULL))`;
}
