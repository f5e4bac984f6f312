import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { nullableTimestamp } from '../../infra/db/columns';
import { User } from '../workspaces/user.entity';
import { LeadSource, LeadStatus } from './lead.enums';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

@ObjectType({ description: 'A prospective customer, from generation through nurturing and qualification to conversion.' })
@Entity('leads')
@Index(['workspaceId', 'createdAt', 'id'])
@Index(['workspaceId', 'status', 'createdAt', 'id'])
@Index(['ownerId', 'createdAt', 'id'])
@Index(['workspaceId', 'source', 'campaign'])
@Index('leads_by_source', ['workspaceId', 'source', 'createdAt', 'id'])
@Index('leads_by_campaign', ['workspaceId', 'campaign', 'createdAt', 'id'])
// Trigram index for `search`, made by the migration IndexTextSearch (TypeORM cannot model its operator class).
@Index('leads_text_search', { synchronize: false })
export class Lead extends WorkspaceOwned {
  @Field(() => ID, { description: 'Lead id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Name of the person or account.' })
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true, description: 'Company name.' })
  @Column('text', { nullable: true })
  company: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email.' })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => LeadSource, { description: 'Channel the lead came from.' })
  @Column({ type: 'enum', enum: LeadSource, enumName: 'lead_source' })
  source: LeadSource;

  @Field(() => String, { nullable: true, description: 'Marketing campaign that generated the lead.' })
  @Column('text', { nullable: true })
  campaign: string | null;

  @Field(() => LeadStatus, { description: 'Qualification status.' })
  @Column({ type: 'enum', enum: LeadStatus, enumName: 'lead_status', default: LeadStatus.NEW })
  status: LeadStatus;

  @Field(() => Int, { nullable: true, description: 'Lead score, higher is hotter.' })
  @Column('int', { nullable: true })
  score: number | null;

  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Field({ description: 'When the lead was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the lead last changed.' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the lead became an MQL (first time).' })
  @Column(nullableTimestamp)
  qualifiedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the lead became an SQL (first time).' })
  @Column(nullableTimestamp)
  salesQualifiedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the lead was converted into a deal.' })
  @Column(nullableTimestamp)
  convertedAt: Date | null;
}
