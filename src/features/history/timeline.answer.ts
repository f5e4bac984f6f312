import { SelectedField } from '../../infra/graphql/selection';
import { pageSize } from '../../infra/pagination/cursor';
import { isLeaf, NotThisShape, Reader, related } from '../../infra/sql-answers/answer-fields';
import { dateTimeJson, jsonArray, JsonField, jsonObject, jsonText } from '../../infra/sql-answers/json-fields';
import { cursorBuilder } from '../../infra/sql-answers/list-connection';
import { TIMELINE_LIST, TIMELINE_ORDER, timelineEntriesSql } from './timeline.sql';

/**
 * The first page of a deal's `timeline` over the deal's row alias `row`, as its loader answers
 * it: the same entries (`timeline.sql.ts`), cursors and page info. A page after a cursor is the
 * loader's, which checks that the cursor is this deal's.
 */
export function timelineOf(r: Reader, field: SelectedField, row: string): JsonField {
  const args = field.args<{ first?: number | null; after?: string | null }>();
  if (args.after !== undefined && args.after !== null) throw new NotThisShape();
  let first: number;
  try {
    first = pageSize(args.first);
  } catch {
    throw new NotThisShape();
  }
  // Names of its own: the page sits inside other lists' pages (rows `t`, CTEs `page`).
  const t = r.alias();
  const page = `${t}_page`;
  const cursorOf = cursorBuilder(r, r.ctx.viewer.workspaceId, TIMELINE_LIST, { id: `${row}.id` });
  const cursor = () => cursorOf([{ text: `${t}.at::text`, cast: 'timestamptz' }, { text: `${t}.rank::text`, cast: 'int' }, { text: `${t}.k`, cast: 'text' }]);
  const inPage = `FROM ${page} ${t} WHERE ${t}.__n <= ${first}`;
  const parts = field.below.fields.map((f): JsonField => {
    switch (f.name) {
      case '__typename': return { key: f.key, json: jsonText.literal('DealTimelineConnection') };
      case 'nodes': return { key: f.key, json: `(SELECT ${jsonArray(item(r, f, t), `${t}.__n`)} ${inPage})` };
      case 'edges': {
        const edge = jsonObject(f.below.fields.map((e): JsonField => {
          if (e.name === 'cursor') return { key: e.key, json: `'"' || ${cursor()} || '"'` };
          if (e.name === 'node') return { key: e.key, json: item(r, e, t) };
          if (e.name === '__typename') return { key: e.key, json: jsonText.literal('DealTimelineEdge') };
          throw new NotThisShape();
        }));
        return { key: f.key, json: `(SELECT ${jsonArray(edge, `${t}.__n`)} ${inPage})` };
      }
      case 'pageInfo': return { key: f.key, json: jsonObject(f.below.fields.map((p): JsonField => {
        switch (p.name) {
          case 'hasNextPage': return { key: p.key, json: `(EXISTS (SELECT FROM ${page} ${t} WHERE ${t}.__n > ${first}))::text` };
          case 'hasPreviousPage': return { key: p.key, json: jsonText.literal(false) };
          case 'startCursor': return { key: p.key, json: `coalesce((SELECT '"' || ${cursor()} || '"' ${inPage} AND ${t}.__n = 1), 'null')` };
          case 'endCursor': return { key: p.key, json: `coalesce((SELECT '"' || ${cursor()} || '"' ${inPage} ORDER BY ${t}.__n DESC LIMIT 1), 'null')` };
          case '__typename': return { key: p.key, json: jsonText.literal('PageInfo') };
          default: throw new NotThisShape();
        }
      })) };
      default: throw new NotThisShape();
    }
  });
  const entries = timelineEntriesSql(`${row}.id`, r.workspace, first + 1);
  return {
    key: field.key,
    json: `(WITH ${page} AS (SELECT e.*, row_number() OVER (ORDER BY ${TIMELINE_ORDER}) AS __n
        FROM (SELECT * FROM (${entries}) e ORDER BY ${TIMELINE_ORDER} LIMIT ${first + 1}) e)
      SELECT ${jsonObject(parts)})`,
  };
}

/** A timeline entry (row alias `t` of the page) as the union's member it is: a change, or an activity. */
function item(r: Reader, field: SelectedField, t: string): string {
  if (isLeaf(field)) throw new NotThisShape();
  const change = jsonObject(field.below.on('DealEvent').fields.map((f) => dealEventNode(r, f, t)));
  const read = r.nodes.Activity;
  if (!read) throw new NotThisShape();
  const a = r.alias();
  const activity = jsonObject(field.below.on('Activity').fields.map((f) => read(r, f, a)));
  return `CASE WHEN ${t}.activity_id IS NULL THEN ${change} ELSE coalesce((SELECT ${activity} FROM activities ${a} WHERE ${a}.id = ${t}.activity_id), 'null') END`;
}

/**
 * A change's field over a row with the event log's columns (`seq`, `type`, `occurred_at`,
 * `changes`, the deal, stages and actor it names), as the DealEvent resolvers answer it.
 */
export function dealEventNode(r: Reader, field: SelectedField, row: string): JsonField {
  const { key } = field;
  switch (field.name) {
    case 'deal': return related(r, field, 'Deal', 'deals', `${row}.deal_id`);
    case 'fromStage': return related(r, field, 'Stage', 'stages', `${row}.from_stage_id`);
    case 'toStage': return related(r, field, 'Stage', 'stages', `${row}.to_stage_id`);
    case 'actor': return related(r, field, 'User', 'users', `${row}.actor_id`);
    case 'changes': return { key, json: fieldChanges(field, row) };
    default:
      if (!isLeaf(field)) throw new NotThisShape();
  }
  switch (field.name) {
    case '__typename': return { key, json: jsonText.literal('DealEvent') };
    case 'seq': return { key, json: jsonText.bare(`${row}.seq::text`) };
    case 'type': return { key, json: jsonText.bare(`${row}.type::text`) };
    case 'occurredAt': return { key, json: jsonText.bare(dateTimeJson(`${row}.occurred_at`)) };
    default: throw new NotThisShape();
  }
}

/** The tracked fields a change set, in their stored order. */
function fieldChanges(field: SelectedField, row: string): string {
  const change = jsonObject(field.below.fields.map((f): JsonField => {
    switch (f.name) {
      case 'field': return { key: f.key, json: jsonText.string("c.v->>'field'") };
      case 'from': return { key: f.key, json: jsonText.string("c.v->>'from'") };
      case 'to': return { key: f.key, json: jsonText.string("c.v->>'to'") };
      case '__typename': return { key: f.key, json: jsonText.literal('FieldChange') };
      default: throw new NotThisShape();
    }
  }));
  return `(SELECT ${jsonArray(change, 'c.n')} FROM jsonb_array_elements(${row}.changes) WITH ORDINALITY c(v, n))`;
}
