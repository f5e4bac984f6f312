import { GraphQLSchema } from 'graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { SelectedField } from '../../infra/graphql/selection';
import { Deal } from '../deals/deal.entity';
import { StageChange } from '../deals/stage-change.entity';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { AnswerRequest, answerRootField, hasArguments, leaf, NotThisShape, Reader, related } from '../board/answer-fields';
import { JsonField, jsonObject } from '../board/json-fields';

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
    case 'owner': return related(r, field, User, 'User', 'users', 'd.owner_id');
    case 'lead': return related(r, field, Lead, 'Lead', 'leads', 'd.lead_id');
    case 'stage': return related(r, field, Stage, 'Stage', 'stages', 'd.stage_id');
    case 'pipeline': return related(r, field, Pipeline, 'Pipeline', 'pipelines', 'd.pipeline_id');
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
    default: return leaf(r, Deal, 'Deal', field, 'd');
  }
}

/**
 * A deal's answer built by PostgreSQL: for a query whose only field is `deal(id)` with plain
 * fields, its owner, lead, stage and pipeline (plain fields) and its history (plain fields,
 * from and to stages, who), one statement returns the `data` object itself, as graphql-js
 * would serialise it. Null for anything else, or a deal that is not there (deleted, or of
 * another workspace): the general path answers those, with NOT_FOUND where it belongs.
 */
export function answerDeal(ctx: Context, schema: GraphQLSchema, request: AnswerRequest) {
  return answerRootField(ctx, schema, request, 'deal', (r, root, args) => {
    const dealId = r.params.add(parseId(args.id as string, 'deal', 'id'));
    const fields = root.below.fields.map((f) => dealField(r, f));
    return `SELECT ${jsonObject(fields)} AS answer FROM deals d
      WHERE d.id = ${dealId} AND d.workspace_id = ${r.workspace} AND d.deleted_at IS NULL`;
  });
}
