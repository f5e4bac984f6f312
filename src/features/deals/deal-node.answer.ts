import { SelectedField } from '../../infra/graphql/selection';
import { leaf, Reader, related } from '../../infra/sql-answers/answer-fields';
import { JsonField } from '../../infra/sql-answers/json-fields';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';

/** A deal field over row alias `row`: plain, or its owner, lead, stage or pipeline with plain fields. */
export function dealNode(r: Reader, field: SelectedField, row = 't'): JsonField {
  switch (field.name) {
    case 'owner': return related(r, field, User, 'User', 'users', `${row}.owner_id`);
    case 'lead': return related(r, field, Lead, 'Lead', 'leads', `${row}.lead_id`);
    case 'stage': return related(r, field, Stage, 'Stage', 'stages', `${row}.stage_id`);
    case 'pipeline': return related(r, field, Pipeline, 'Pipeline', 'pipelines', `${row}.pipeline_id`);
    default: return leaf(r, Deal, 'Deal', field, row);
  }
}
