import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { nullableTimestamp, timestamp } from '../../infra/db/columns';
import { Webhook } from './webhook.entity';

export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'The outcome of one delivery attempt.',
  valuesConfig: {
    PENDING: { description: 'Not made yet: queued, or waiting for its retry time.' },
    DELIVERED: { description: 'The endpoint answered 2xx within 10 seconds.' },
    FAILED: { description: 'Any other answer, a timeout or a refused address.' },
  },
});

/**
 * One attempt at sending one event to one webhook. The rows of a webhook form its queue:
 * the PENDING row with the lowest (`queuePos`, `attempt`) is its head, and nothing behind it
 * is sent before it is settled. A sender claims the head for `claimedUntil` (a lease), so
 * one instance sends a webhook at a time and a crashed one's claim lapses.
 */
@ObjectType({ description: 'One attempt at delivering one event to a webhook.' })
@Entity('webhook_deliveries')
@Index('webhook_deliveries_queue', ['webhookId', 'queuePos', 'attempt'], { where: "status = 'PENDING'" })
@Index('webhook_deliveries_newest', ['webhookId', 'at', 'id'])
export class WebhookDelivery {
  @Field(() => ID, { description: 'Id of this attempt.' })
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid')
  webhookId: string;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id' })
  webhook?: Webhook;

  @Field(() => ID, { description: 'Id of the delivery: the `id` of the body, the same in every attempt at one event.' })
  @Column('uuid')
  deliveryId: string;

  @Field({ description: 'seq of the event delivered.' })
  @Column('bigint')
  seq: string;

  /** Order in the webhook's queue: the order events were queued for it (replays come after). */
  @Column('bigint')
  queuePos: string;

  @Field(() => Int, { description: 'Which attempt at this event, counting from 1.' })
  @Column('int')
  attempt: number;

  @Field(() => DeliveryStatus, { description: 'PENDING until the attempt is made, then DELIVERED or FAILED.' })
  @Column({ type: 'enum', enum: DeliveryStatus, enumName: 'webhook_delivery_status', default: DeliveryStatus.PENDING })
  status: DeliveryStatus;

  @Field(() => Int, { nullable: true, description: 'HTTP status the endpoint answered; null without an answer.' })
  @Column('int', { nullable: true })
  httpStatus: number | null;

  @Field(() => String, { nullable: true, description: 'Why the attempt failed, with the start of the answer\'s body.' })
  @Column('text', { nullable: true })
  error: string | null;

  @Field(() => Int, { nullable: true, description: 'How long the attempt took, in milliseconds.' })
  @Column('int', { nullable: true })
  durationMs: number | null;

  @Field(() => Date, { description: 'When the attempt was made; while PENDING, when it is due.' })
  @Column({ ...timestamp, default: () => 'now()' })
  at: Date;

  /** Until when a sender holds this attempt; null: nobody does. */
  @Column(nullableTimestamp)
  claimedUntil: Date | null;
}

/** Where the feed of the webhooks' queues stands in the event log: one row. */
@Entity('webhook_feed')
export class WebhookFeed {
  /** Always 1. */
  @PrimaryColumn('smallint')
  id: number;

  /** Every event up to this seq is queued for the webhooks it matches (or was never committed). */
  @Column('bigint')
  position: string;
}
