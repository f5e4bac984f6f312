import { SelectedField } from '../../infra/graphql/selection';
import { hasArguments, isLeaf, NotThisShape } from '../../infra/sql-answers/answer-fields';
import { JsonField, jsonObject } from '../../infra/sql-answers/json-fields';
import { HEALTH_REASONS } from './health.enums';
import { DAYS_IN_STAGE_SQL, DAYS_SINCE_ACTIVITY_SQL, reasonHolds } from './health.sql';

/** A health field's SQL over deal row `row`, as HEALTH_COLUMNS computes it for the loader. */
const HEALTH_FIELDS: Record<string, (row: string) => string> = {
  daysInStage: DAYS_IN_STAGE_SQL,
  daysSinceActivity: DAYS_SINCE_ACTIVITY_SQL,
  // The reasons in the order of HealthReason, none for a closed deal.
  reasons: (row) => `to_json(array_remove(ARRAY[${HEALTH_REASONS.map((reason) =>
    `CASE WHEN ${reasonHolds(reason, row)} THEN '${reason}' END`).join(', ')}], NULL))`,
  __typename: () => `'DealHealth'`,
};

/** A deal's `health` over row alias `row`, by the SQL its loader and `DealFilter.healthReasons` read. */
export function healthOf(field: SelectedField, row: string): JsonField {
  if (isLeaf(field) || hasArguments(field)) throw new NotThisShape();
  const fields = field.below.fields.map((f): JsonField => {
    if (!Object.hasOwn(HEALTH_FIELDS, f.name) || hasArguments(f)) throw new NotThisShape();
    return { key: f.key, sql: HEALTH_FIELDS[f.name](row) };
  });
  return { key: field.key, sql: jsonObject(fields) };
}
