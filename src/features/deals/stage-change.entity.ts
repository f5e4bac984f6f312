import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

/** The history ledger: one row each time a deal enters a stage. */
@ObjectType({ description: 'A deal entering a stage.' })
@Entity('stage_changes')
@Index(['dealId', 'changedAt'])
@Index(['toStageId', 'changedAt'])
@Index(['fromStageId'])
@Index(['changedById'])
@Index(['workspaceId'])
export class StageChange extends WorkspaceOwned {
  @Field(() => ID, { description: 'Entry id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'changed_by_id' })
  changedBy?: User;
}
