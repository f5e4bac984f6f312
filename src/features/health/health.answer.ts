import { SelectedField } from '../../infra/graphql/selection';
import { hasArguments, isLeaf, NotThisShape } from '../../infra/sql-answers/answer-fields';
import { JsonField, jsonObject, jsonText } from '../../infra/sql-answers/json-fields';
import { HEALTH_REASONS } from './health.enums';
import { DAYS_IN_STAGE_SQL, DAYS_SINCE_ACTIVITY_SQL, reasonHolds } from './health.sql';

/** A health field's JSON over deal row `row`, as HEALTH_COLUMNS computes it for the loader. */
const HEALTH_FIELDS: Record<string, (row: string) => string> = {
  daysInStage: (row) => jsonText.float(DAYS_IN_STAGE_SQL(row)),
  daysSinceActivity: (row) => jsonText.float(DAYS_SINCE_ACTIVITY_SQL(row)),
  // The reasons in the order of HealthReason, none for a closed deal.
  reasons: (row) => `to_json(array_remove(ARRAY[${HEALTH_REASONS.map((reason) =>
    `CASE WHEN ${reasonHolds(reason, row)} THEN '${reason}' END`).join(', ')}]::text[], NULL))::text`,
  __typename: () => jsonText.literal('DealHealth'),
};

/** A deal's `health` over row alias `row`, by the SQL its loader and `DealFilter.healthReasons` read. */
export function healthOf(field: SelectedField, row: string): JsonField {
  if (isLeaf(field) || hasArguments(field)) throw new NotThisShape();
  const fields = field.below.fields.map((f): JsonField => {
    if (!Object.hasOwn(HEALTH_FIELDS, f.name) || hasArguments(f)) throw new NotThisShape();
    return { key: f.key, json: HEALTH_FIELDS[f.name](row) };
  });
  return { key: field.key, json: jsonObject(fields) };
}
