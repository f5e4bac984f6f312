import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Stage } from '../pipelines/stage.entity';

/** What a stage's visits add up to on a day (see StageTally); shared by the tallies and their deltas. */
abstract class DayCounts {
  @Column('int')
  firstEntries: number;

  @Column('int')
  advancedFirstEntries: number;

  @Column('int')
  exits: number;

  @Column('interval')
  exitTime: string;
}

/**
 * Per stage and UTC day, what the live stage visits add up to: first entries (visits with no
 * earlier entry of the deal into the stage) and how many of those later advanced, exits and
 * the time those visits lasted. PipelineMetrics reads the whole days of its range here and
 * only the partial days at its edges from `stage_visits`.
 *
 * Writers never update these rows: a trigger on `stage_visits` appends what each change adds
 * or takes away to `stage_tally_deltas`, and `stage_tallies_compact()` (run now and then by
 * one process at a time) folds the deltas in. Readers add the pending deltas, so the sums
 * are exact at every moment, and concurrent moves never wait on, or deadlock over, a
 * shared counter row.
 */
@Entity('stage_tallies')
export class StageTally extends DayCounts {
  @PrimaryColumn('uuid')
  stageId: string;

  @ManyToOne(() => Stage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id' })
  stage?: Stage;

  @PrimaryColumn('date')
  day: string;
}

/** A change to a StageTally not yet folded in; see StageTally. */
@Entity('stage_tally_deltas')
@Index('stage_tally_deltas_stage_day', ['stageId', 'day'])
export class StageTallyDelta extends DayCounts {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid')
  stageId: string;

  @Column('date')
  day: string;
}
