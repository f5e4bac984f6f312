import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { numericToNumber, timestamp } from '../../infra/db/columns';
import { Pipeline } from '../pipelines/pipeline.entity';
import { User } from '../workspaces/user.entity';
import { GoalMetric } from './goal.enums';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

/** A target for one metric over a period, for the workspace or narrowed to a pipeline and/or an owner. */
@ObjectType({ description: 'A target for a metric over a period: the whole workspace, or one pipeline and/or one owner.' })
@Entity('goals')
@Index(['workspaceId', 'startsAt'])
@Index(['pipelineId'])
@Index(['ownerId'])
@Check('"target" >= 0')
@Check('"ends_at" > "starts_at"')
export class Goal extends WorkspaceOwned {
  @Field(() => ID, { description: 'Goal id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => GoalMetric, { description: 'What the goal measures.' })
  @Column({ type: 'enum', enum: GoalMetric, enumName: 'goal_metric' })
  metric: GoalMetric;

  @Field(() => Float, { description: 'The target: money, a count, a fraction 0..1 (WIN_RATE) or days (SALES_CYCLE_DAYS).' })
  @Column({ type: 'numeric', precision: 18, scale: 4, transformer: numericToNumber })
  target: number;

  @Field(() => Date, { name: 'from', description: 'Start of the period, included.' })
  @Column(timestamp)
  startsAt: Date;

  @Field(() => Date, { name: 'to', description: 'End of the period, excluded.' })
  @Column(timestamp)
  endsAt: Date;

  @Column('uuid', { nullable: true })
  pipelineId: string | null;

  @ManyToOne(() => Pipeline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pipeline_id' })
  pipeline?: Pipeline;

  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;
}
