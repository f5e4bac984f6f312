import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { nullableTimestamp, timestamp } from '../../infra/db/columns';

/**
 * A maintained summary of the stage-change ledger for the reports: one row per StageChange,
 * the visit of a deal to a stage that the change began, with its exit (the deal's next
 * change) and what came after it, so the ledger figures of PipelineMetrics read a few narrow
 * index ranges instead of windowing every deal's history. An appended change only leaves
 * a copy in the backlog (StageVisitBacklog); `stage_visits_catch_up` folds the backlog in,
 * many changes per statement, before every read and in the background (see the
 * CreateStageVisits and DeferStageVisits migrations).
 */
@Entity('stage_visits')
@Index('stage_visits_entered', ['stageId', 'enteredAt', 'previousEntryAt', 'advanced'], { where: 'live' })
@Index('stage_visits_exited', ['stageId', 'exitedAt', 'enteredAt'], { where: 'live AND exited_at IS NOT NULL' })
@Index('stage_visits_reentered', ['stageId', 'enteredAt', 'previousEntryAt', 'advanced'], { where: 'live AND previous_entry_at IS NOT NULL' })
@Index('stage_visits_current', ['stageId', 'enteredAt', 'fromStageId'], { where: 'live AND exited_at IS NULL' })
@Index('stage_visits_deal', ['dealId', 'stageId', 'enteredAt'])
@Index('stage_visits_open', ['dealId'], { where: 'exited_at IS NULL' })
@Index('stage_visits_unadvanced', ['dealId', 'stageId'], { where: 'NOT advanced' })
export class StageVisit {
  /**
   * The id of the StageChange that began the visit. No foreign key: the fold appends visits by
   * the thousand, and the trigger `stage_visits_after_ledger_deletion` removes a visit with its change.
   */
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  workspaceId: string;

  @Column('uuid')
  dealId: string;

  @Column('uuid')
  pipelineId: string;

  /** The stage visited. */
  @Column('uuid')
  stageId: string;

  /** The stage the deal came from; null for its first stage. */
  @Column('uuid', { nullable: true })
  fromStageId: string | null;

  @Column(timestamp)
  enteredAt: Date;

  /** The deal's next stage change; null while the deal is still in the stage. */
  @Column(nullableTimestamp)
  exitedAt: Date | null;

  /** The deal's previous entry into the same stage, if any: a visit is a deal's first in a range when this lies before it. */
  @Column(nullableTimestamp)
  previousEntryAt: Date | null;

  /** Whether the deal later entered an OPEN or WON stage of greater position (positions as when the deal last moved). */
  @Column('boolean')
  advanced: boolean;

  /** False once the deal is deleted: deleted deals count nowhere. */
  @Column('boolean')
  live: boolean;
}

/**
 * A stage change whose visit is not written yet: a trigger copies every appended change here,
 * and `stage_visits_catch_up` takes them out as it folds them into StageVisit, without reading
 * the ledger back. Keeping this out of the writing statement keeps a move to the deal, its
 * history entry and its event.
 */
@Entity('stage_visit_backlog')
export class StageVisitBacklog {
  /** The order the changes were appended in. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  /** The StageChange copied, column by column below. */
  @Column('uuid')
  changeId: string;

  @Column('text')
  workspaceId: string;

  @Column('uuid')
  dealId: string;

  @Column('uuid', { nullable: true })
  fromStageId: string | null;

  @Column('uuid')
  toStageId: string;

  @Column(timestamp)
  changedAt: Date;
}
