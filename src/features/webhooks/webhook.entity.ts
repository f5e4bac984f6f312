import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { nullableTimestamp, timestamp } from '../../infra/db/columns';
import { DealEventType } from '../deals/deal.enums';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

/**
 * An endpoint that receives the workspace's deal events as signed HTTP POSTs, in `seq` order.
 * `fromSeq` and `untilSeq` bound which events it is sent: none from before it was created or
 * last activated, none from after it was deactivated.
 */
@ObjectType({
  description: 'An HTTPS endpoint that receives the deal events of the workspace, signed, in seq order. ADMIN only.',
})
@Entity('webhooks')
@Index(['workspaceId', 'createdAt'])
export class Webhook extends WorkspaceOwned {
  @Field(() => ID, { description: 'Webhook id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Where events are POSTed.' })
  @Column('text')
  url: string;

  /** The HMAC key of the signatures; shown once, in `CreatedWebhook.secret`, never again. */
  @Column('text')
  secret: string;

  @Field({ description: 'Whether events are sent; events that happen while inactive are never sent.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => [DealEventType], { nullable: true, description: 'Only events of these types are sent; null: every type.' })
  @Column({ type: 'enum', enum: DealEventType, enumName: 'deal_event_type', array: true, nullable: true })
  eventTypes: DealEventType[] | null;

  @Field(() => [ID], {
    nullable: true, description: 'Only events of deals in these pipelines are sent; null: every pipeline.',
  })
  @Column('uuid', { array: true, nullable: true })
  pipelineIds: string[] | null;

  /** Events up to this seq had happened before the webhook was created or last activated. */
  @Column('bigint', { default: 0 })
  fromSeq: string;

  /** While inactive: the last seq that happened before it was deactivated. */
  @Column('bigint', { nullable: true })
  untilSeq: string | null;

  @Field(() => String, {
    nullable: true, description: 'seq of the last event delivered (a 2xx answer); null before the first.',
  })
  @Column('bigint', { nullable: true })
  lastDeliveredSeq: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When a delivery last failed for good (all attempts made); null again once an event is delivered.',
  })
  @Column(nullableTimestamp)
  failingSince: Date | null;

  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;
}
