import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import { Deal } from './deal.entity';

/**
 * The history ledger: one row each time a deal enters a stage.
 *
 * `workspaceId` and `changedById` carry no foreign key: the writing statement copies the
 * workspace from the deal row it holds locked (whose own key checks it) and the actor from
 * the request's user, and neither workspaces nor users are ever deleted. A key would make
 * every concurrent move share-lock the same workspace and user rows (about 4% of move
 * throughput at 10 writers, bench/RESULTS.md). Nor do the stage columns: the statement takes
 * the stage entered from `stages`, in the deal's pipeline, and the stage left from the locked
 * deal, and stages are never deleted; their keys share-locked the two stages' rows on every
 * move (migration StageChangesWithoutStageKeys). The deal key stays.
 */
@ObjectType({ description: 'A deal entering a stage.' })
@Entity('stage_changes')
@Index(['dealId', 'changedAt'])
export class StageChange {
  @Field(() => ID, { description: 'Entry id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  workspaceId: string;

  @Column('uuid')
  dealId: string;

  @ManyToOne(() => Deal, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id' })
  deal?: Deal;

  @Column('uuid', { nullable: true })
  fromStageId: string | null;

  @Column('uuid')
  toStageId: string;

  @Field({ description: 'When the deal entered the stage.' })
  @Column({ ...timestamp, default: () => 'now()' })
  changedAt: Date;

  @Column('uuid', { nullable: true })
  changedById: string | null;
}
