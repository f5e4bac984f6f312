import { SelectedField } from '../../infra/graphql/selection';
import { hasArguments, isLeaf, leaf, NotThisShape, Reader, related, relatedList } from '../../infra/sql-answers/answer-fields';
import { JsonField } from '../../infra/sql-answers/json-fields';
import { Deal } from './deal.entity';
import { StageChange } from './stage-change.entity';
import { STALLED_SQL } from './stalled';
import { healthOf } from '../health/health.answer';
import { timelineOf } from '../history/timeline.answer';

/**
 * A deal field over row alias `row`: plain, whether it is stalled, its health, its owner, lead, stage or
 * pipeline, its history (oldest first, as the history loader orders it), its activities
 * (oldest first, as theirs) or the first page of its timeline.
 */
export function dealNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'owner': return related(r, field, 'User', 'users', `${row}.owner_id`);
    case 'lead': return related(r, field, 'Lead', 'leads', `${row}.lead_id`);
    case 'stage': return related(r, field, 'Stage', 'stages', `${row}.stage_id`);
    case 'pipeline': return related(r, field, 'Pipeline', 'pipelines', `${row}.pipeline_id`);
    case 'history': return relatedList(r, field, 'StageChange', 'stage_changes',
      { where: (h) => `${h}.deal_id = ${row}.id`, orderBy: (h) => `${h}.changed_at, ${h}.id` });
    case 'activities': return relatedList(r, field, 'Activity', 'activities',
      { where: (a) => `${a}.deal_id = ${row}.id`, orderBy: (a) => `${a}.created_at, ${a}.id` });
    case 'isStalled': return stalled(r, field, row);
    case 'health': return healthOf(field, row);
    case 'timeline': return timelineOf(r, field, row);
    default: return leaf(r, Deal, 'Deal', field, row);
  }
}

/** `isStalled` as the resolver answers it: false when its stage is not found. */
function stalled(r: Reader, field: SelectedField, row: string): JsonField {
  if (!isLeaf(field) || hasArguments(field)) throw new NotThisShape();
  const s = r.alias();
  return {
    key: field.key,
    json: `coalesce((SELECT (${STALLED_SQL(row, s)})::text FROM stages ${s} WHERE ${s}.id = ${row}.stage_id AND ${s}.workspace_id = ${r.workspace}), 'false')`,
  };
}

/** A history entry's field over row alias `row`: plain, or the stages and person it names. */
export function stageChangeNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'fromStage': return related(r, field, 'Stage', 'stages', `${row}.from_stage_id`);
    case 'toStage': return related(r, field, 'Stage', 'stages', `${row}.to_stage_id`);
    case 'changedBy': return related(r, field, 'User', 'users', `${row}.changed_by_id`);
    default: return leaf(r, StageChange, 'StageChange', field, row);
  }
}
