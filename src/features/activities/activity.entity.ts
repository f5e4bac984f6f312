import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { nullableTimestamp, timestamp } from '../../infra/db/columns';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

export enum ActivityType {
  CALL = 'CALL',
  EMAIL = 'EMAIL',
  MEETING = 'MEETING',
  TASK = 'TASK',
  NOTE = 'NOTE',
}
registerEnumType(ActivityType, { name: 'ActivityType', description: 'Kind of activity.' });

@ObjectType({ description: 'A call, email, meeting, task or note on a deal or a lead.' })
@Entity('activities')
@Index(['dealId', 'createdAt'])
// A deal's next step (Deal.health): an open activity due from now on.
@Index('activities_next_step', ['dealId', 'dueAt'], { where: 'done_at IS NULL' })
@Index(['leadId', 'createdAt'])
@Index(['ownerId'])
@Index(['workspaceId', 'createdAt'])
export class Activity extends WorkspaceOwned {
  @Field(() => ID, { description: 'Activity id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ActivityType, { description: 'Kind of activity.' })
  @Column({ type: 'enum', enum: ActivityType, enumName: 'activity_type' })
  type: ActivityType;

  @Field({ description: 'What it is about.' })
  @Column('text')
  subject: string;

  @Field(() => Date, { nullable: true, description: 'When it is due.' })
  @Column(nullableTimestamp)
  dueAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was done; null while pending.' })
  @Column(nullableTimestamp)
  doneAt: Date | null;

  @Column('uuid', { nullable: true })
  dealId: string | null;

  @ManyToOne(() => Deal, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deal_id' })
  deal?: Deal;

  @Column('uuid', { nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lead_id' })
  lead?: Lead;

  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Field({ description: 'When it was logged.' })
  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;
}
