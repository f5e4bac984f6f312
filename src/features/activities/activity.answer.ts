import { SelectedField } from '../../infra/graphql/selection';
import { leaf, Reader, related } from '../../infra/sql-answers/answer-fields';
import { JsonField } from '../../infra/sql-answers/json-fields';
import { Activity } from './activity.entity';

/** An activity field over row alias `row`: plain, its live deal, its lead or who logged it (as their by-id loaders find them). */
export function activityNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'deal': return related(r, field, 'Deal', 'deals', `${row}.deal_id`, (d) => ` AND ${d}.deleted_at IS NULL`);
    case 'lead': return related(r, field, 'Lead', 'leads', `${row}.lead_id`);
    case 'owner': return related(r, field, 'User', 'users', `${row}.owner_id`);
    default: return leaf(r, Activity, 'Activity', field, row);
  }
}
