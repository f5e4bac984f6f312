import { Field, ObjectType } from 'type-graphql';
import { DealEventType } from '../../deals/deal.enums';
import { FieldChange, FieldChangeRow } from '../../history/field-change.type';
import type { Loaders } from '../../../loaders';

/**
 * One committed change of a deal, as subscribers receive it. Built from a `deal_events` row;
 * the related objects are resolved when the event is delivered, with the loaders it carries.
 */
@ObjectType({ description: 'One committed change of a deal, delivered in `seq` order by `Subscription.dealEvents`.' })
export class DealEvent {
  @Field({ description: 'Position in the event log (a 64-bit integer as a string); only grows. Pass the last one seen as `after` to resume.' })
  seq: string;

  @Field(() => DealEventType, { description: 'What the change did.' })
  type: DealEventType;

  @Field(() => Date, { description: 'When the change was made.' })
  occurredAt: Date;

  @Field(() => [FieldChange], {
    description: 'The tracked fields the change set, in DealField order. A creation lists every field it set (from null); '
      + 'a deletion, and a change that touched no tracked field, lists none.',
  })
  changes: FieldChangeRow[];

  /** `seq` as a number, parsed once for every subscriber that compares it. */
  position: bigint;
  workspaceId: string;
  pipelineId: string;
  dealId: string;
  fromStageId: string | null;
  toStageId: string | null;
  /** Internal user id of who made the change. */
  actorId: string | null;
  /**
   * Loaders shared by every subscriber that receives this very object (one set per
   * workspace per dispatcher tick), so related rows cost the same whatever the audience.
   */
  loaders?: Loaders;
}

/** A `deal_events` row as the log reader selects it. */
export interface DealEventRow {
  seq: string;
  workspace_id: string;
  pipeline_id: string;
  deal_id: string;
  type: DealEventType;
  from_stage_id: string | null;
  to_stage_id: string | null;
  actor_id: string | null;
  occurred_at: Date | string;
  changes: FieldChangeRow[];
  /** With NATS: what the relay worked out for every instance (subscriptions/relayed-work.ts). */
  work?: unknown;
  /** The rows its delivery reads, when the log read brought them (event-log.ts); never published. */
  related?: RelatedRows;
}

/** An event's deal, the stages it names (and the deal's), and its actor, as `row_to_json` renders them. */
export interface RelatedRows {
  deal: Record<string, unknown> | null;
  stages: Record<string, unknown>[] | null;
  users: Record<string, unknown>[] | null;
}

/** The columns every reader selects, in the shape of DealEventRow. The log's columns as the reader wants them; `seq` comes as text, so order by `deal_events.seq`, never the alias. */
export const EVENT_COLUMNS = 'seq::text AS seq, workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, occurred_at, changes';

export function toDealEvent(row: DealEventRow, loaders?: Loaders): DealEvent {
  const event = new DealEvent();
  event.seq = row.seq;
  event.position = BigInt(row.seq);
  event.type = row.type;
  event.occurredAt = row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at);
  event.workspaceId = row.workspace_id;
  event.pipelineId = row.pipeline_id;
  event.dealId = row.deal_id;
  event.fromStageId = row.from_stage_id;
  event.toStageId = row.to_stage_id;
  event.actorId = row.actor_id;
  event.changes = row.changes;
  event.loaders = loaders;
  return event;
}
