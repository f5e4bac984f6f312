import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per stage and UTC day, what its live visits add up to: entries (and how many of those
 * later advanced) by day of entry, exits and their total time by day of exit. Kept by a
 * trigger on `stage_visits` (migration AddStageDayStats), so a metrics range reads its whole
 * days from about one row per stage and day, and only its two partial days from the visits.
 */
@Entity('stage_day_stats')
export class StageDayStat {
  @PrimaryColumn('uuid')
  stageId: string;

  /** The UTC calendar day. */
  @PrimaryColumn('date')
  day: string;

  @Column('int', { default: 0 })
  entries: number;

  @Column('int', { default: 0 })
  advancedEntries: number;

  @Column('int', { default: 0 })
  exits: number;

  /** Sum of exit − entry of the visits that ended that day. */
  @Column('interval', { default: () => "'00:00:00'" })
  exitTime: string;
}
