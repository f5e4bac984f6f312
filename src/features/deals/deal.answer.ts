import { parseId } from '../../infra/db/ids';
import { SelectedField } from '../../infra/graphql/selection';
import { hasArguments, leaf, NotThisShape, Reader, related, RootStatement } from '../../infra/sql-answers/answer-fields';
import { JsonField, jsonObject } from '../../infra/sql-answers/json-fields';
import { Activity } from '../activities/activity.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { dealNode } from './deal-node.answer';
import { StageChange } from './stage-change.entity';

/** A history entry's fields: plain ones, and the stages and person it names. */
function change(r: Reader, field: SelectedField): JsonField {
  switch (field.name) {
    case 'fromStage': return related(r, field, Stage, 'Stage', 'stages', 'h.from_stage_id');
    case 'toStage': return related(r, field, Stage, 'Stage', 'stages', 'h.to_stage_id');
    case 'changedBy': return related(r, field, User, 'User', 'users', 'h.changed_by_id');
    default: return leaf(r, StageChange, 'StageChange', field, 'h');
  }
}

function dealField(r: Reader, field: SelectedField): JsonField {
  switch (field.name) {
    case 'history': {
      if (hasArguments(field)) throw new NotThisShape();
      const entry = jsonObject(field.below.fields.map((f) => change(r, f)));
      // Oldest first, as the history loader orders it.
      return {
        key: field.key,
        sql: `(SELECT coalesce(json_agg(${entry} ORDER BY h.changed_at, h.id), '[]'::json)
          FROM stage_changes h WHERE h.deal_id = d.id AND h.workspace_id = ${r.workspace})`,
      };
    }
    case 'activities': {
      if (hasArguments(field)) throw new NotThisShape();
      const activity = jsonObject(field.below.fields.map((f) => leaf(r, Activity, 'Activity', f, 'a')));
      // Oldest first, as the activities loader orders them.
      return {
        key: field.key,
        sql: `(SELECT coalesce(json_agg(${activity} ORDER BY a.created_at, a.id), '[]'::json)
          FROM activities a WHERE a.deal_id = d.id AND a.workspace_id = ${r.workspace})`,
      };
    }
    default: return dealNode(r, field, 'd');
  }
}

/**
 * A deal's answer built by PostgreSQL: `deal(id)` with plain fields, its owner, lead, stage and
 * pipeline (plain fields), its history (plain fields, from and to stages, who) and its
 * activities (plain fields), as one SQL value, as graphql-js would serialise it. No row for a
 * deal that is not there (deleted, or of another workspace): the general path answers NOT_FOUND.
 */
export const dealStatement: RootStatement = (r, root, args) => {
  const dealId = r.params.add(parseId(args.id as string, 'deal', 'id'));
  const fields = root.below.fields.map((f) => dealField(r, f));
  return `SELECT ${jsonObject(fields)} AS answer FROM deals d
    WHERE d.id = ${dealId} AND d.workspace_id = ${r.workspace} AND d.deleted_at IS NULL`;
};
