import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import { Stage } from '../pipelines/stage.entity';
import { Deal } from './deal.entity';

/**
 * The history ledger: one row each time a deal enters a stage.
 *
 * `workspaceId` and `changedById` carry no foreign key: the writing statement copies the
 * workspace from the deal row it holds locked (whose own key checks it) and the actor from
 * the request's user, and neither workspaces nor users are ever deleted. A key would make
 * every concurrent move share-lock the same workspace and user rows (about 4% of move
 * throughput at 10 writers, bench/RESULTS.md). The deal and stage keys stay.
 */
@ObjectType({ description: 'A deal entering a stage.' })
@Entity('stage_changes')
@Index(['dealId', 'changedAt'])
@Index(['toStageId', 'changedAt'])
@Index(['fromStageId'])
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

  @ManyToOne(() => Stage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'from_stage_id' })
  fromStage?: Stage;

  @Column('uuid')
  toStageId: string;

  @ManyToOne(() => Stage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_stage_id' })
  toStage?: Stage;

  @Field({ description: 'When the deal entered the stage.' })
  @Column({ ...timestamp, default: () => 'now()' })
  changedAt: Date;

  @Column('uuid', { nullable: true })
  changedById: string | null;
}
