import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { money, nullableTimestamp, timestamp } from '../../infra/db/columns';
import { DealEventType, DealStatus } from '../deals/deal.enums';
import type { FieldChangeRow } from './field-change.type';

/**
 * The durable field history: one row per committed change of a deal, written by the change's
 * own statement. It holds the change as its event showed it (`seq`, type, actor, stages,
 * `changes`) and the deal's tracked fields as they stood just before it, over
 * (`validFrom`, `validTo`]: the state at t is the row with validFrom < t ≤ validTo, or the
 * deal row itself once t passes its `updatedAt`. A creation's row has no state (every field
 * null) and an empty interval. Unlike `deal_events`, which retention prunes, it is never
 * deleted, so snapshots, flows and timelines of any past date stay exact.
 */
@Entity('deal_history')
// A pipeline's changes from t on (validTo ≥ t): the states valid at t among them (validFrom < t),
// and how each deal's status changed after. Every state, not only OPEN ones, so that a flow
// tells from the index alone whether a deal that came in was closed before; creations (no
// state) are left out. The trailing columns answer a snapshot or flow without a heap visit.
@Index('deal_history_by_time', ['pipelineId', 'validTo', 'validFrom', 'status', 'type', 'stageId', 'value', 'expectedCloseDate',
  'dealId'], { where: 'status IS NOT NULL' })
export class DealHistoryEntry {
  @PrimaryColumn('uuid')
  dealId: string;

  /** When the change was made: the end of the state this row holds. */
  @PrimaryColumn(timestamp)
  validTo: Date;

  /** When the state this row holds began (the deal's previous change). */
  @Column(timestamp)
  validFrom: Date;

  @Column('text')
  workspaceId: string;

  @Column('uuid')
  pipelineId: string;

  /** The change's event in the log; null for changes recorded before field tracking. */
  @Column('bigint', { nullable: true })
  seq: string | null;

  @Column({ type: 'enum', enum: DealEventType, enumName: 'deal_event_type' })
  type: DealEventType;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('uuid', { nullable: true })
  fromStageId: string | null;

  @Column('uuid', { nullable: true })
  toStageId: string | null;

  /** The tracked fields the change set, as `DealEvent.changes` shows them. */
  @Column('jsonb', { default: [] })
  changes: FieldChangeRow[];

  @Column('text', { nullable: true })
  title: string | null;

  @Column({ ...money, nullable: true })
  value: number | null;

  @Column('uuid', { nullable: true })
  stageId: string | null;

  @Column({ type: 'enum', enum: DealStatus, enumName: 'deal_status', nullable: true })
  status: DealStatus | null;

  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @Column(nullableTimestamp)
  expectedCloseDate: Date | null;

  @Column('text', { nullable: true })
  lostReason: string | null;

  @Column(nullableTimestamp)
  stageEnteredAt: Date | null;
}
