import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Deal } from './deal.entity';

/** The history ledger: one row each time a deal enters a stage. */
@ObjectType({ description: 'A deal entering a stage.' })
@Entity('stage_changes')
@Index(['dealId', 'changedAt'])
@Index(['toStageId', 'changedAt'])
@Index(['fromStageId'])
@Index(['changedById'])
export class StageChange {
  @Field(() => ID, { description: 'Entry id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('text')
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

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
