import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import type { FieldChangeRow } from '../history/field-change.type';
import { DealEventType } from './deal.enums';

/**
 * The event log clients replay: one row per committed change of a deal, written in the
 * change's own transaction. `txid` lets a reader skip rows whose transaction may still be
 * running, so a sequence number that commits late is never passed over. `workspaceId` is
 * copied from the deal row the writer holds locked, without a foreign key, as in StageChange.
 */
@Entity('deal_events')
@Index(['workspaceId', 'pipelineId', 'seq'])
@Index('deal_events_by_deal', ['dealId', 'workspaceId', 'occurredAt'])
export class DealEventRecord {
  /** Grows with every event; a bigint, so kept as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  @Column('text')
  workspaceId: string;

  @Column('uuid')
  pipelineId: string;

  @Column('uuid')
  dealId: string;

  @Column({ type: 'enum', enum: DealEventType, enumName: 'deal_event_type' })
  type: DealEventType;

  @Column('uuid', { nullable: true })
  fromStageId: string | null;

  @Column('uuid', { nullable: true })
  toStageId: string | null;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  /** Small, event-specific facts (changed fields, reason); never whole rows. */
  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;

  /** The tracked fields the change set, as `DealEvent.changes` shows them. */
  @Column('jsonb', { default: [] })
  changes: FieldChangeRow[];

  @Column({ ...timestamp, default: () => 'now()' })
  occurredAt: Date;

  /** `pg_current_xact_id()` of the writing transaction, set by the insert. */
  @Column('bigint')
  txid: string;
}
