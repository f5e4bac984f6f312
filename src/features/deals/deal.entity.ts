import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { money, nullableTimestamp, timestamp } from '../../infra/db/columns';
import { Lead } from '../leads/lead.entity';
import { LeadSource } from '../leads/lead.enums';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { DealStatus } from './deal.enums';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

@ObjectType({ description: 'An opportunity moving through the stages of a pipeline to won or lost.' })
@Entity('deals')
@Index('deals_board', ['stageId', 'createdAt', 'id', 'workspaceId'], { where: 'deleted_at IS NULL' })
// A column's count: one key per stage, kept once with its rows' list (migration IndexStageCounts).
@Index('deals_stage_count', ['stageId', 'workspaceId'], { where: 'deleted_at IS NULL' })
@Index('deals_list', ['workspaceId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
// Trailing columns let PipelineMetrics read closed deals (value, cycle) and open deals
// (value, stalled) from the indexes alone, and a pipeline's list of one status count its deals
// under the workspace's condition.
@Index('deals_pipeline_status', ['pipelineId', 'status', 'closedAt', 'value', 'createdAt', 'workspaceId'], { where: 'deleted_at IS NULL' })
// The last three let a snapshot or flow tell from the index alone which open deals have not
// changed since a moment (their row is their state then): no heap visit per open deal.
@Index('deals_open_by_stage', ['pipelineId', 'stageId', 'value', 'stageEnteredAt', 'lastActivityAt', 'status', 'updatedAt',
  'expectedCloseDate', 'id'], { where: "status = 'OPEN' AND deleted_at IS NULL" })
// One index per ordering of the workspace's list (both directions walk it), so a page of
// any ordering stops after `first` rows instead of sorting every deal; owner and pipeline
// lists walk theirs in the default order. Checked by test/integration/list-plans.test.ts.
@Index('deals_owner', ['ownerId', 'createdAt', 'id'])
// A board column by value (the wallboard's biggest deals per stage).
@Index('deals_stage_by_value', ['stageId', 'value', 'id'], { where: 'deleted_at IS NULL' })
@Index('deals_stage_by_entry', ['stageId', 'stageEnteredAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('deals_stage_by_updated', ['stageId', 'updatedAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('deals_stage_by_title', ['stageId', 'title', 'id'], { where: 'deleted_at IS NULL' })
@Index('deals_pipeline_list', ['pipelineId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
// (workspace_id, <order>, id) INCLUDE (pipeline_id, status, lead_source), which TypeORM cannot
// model: a pipeline's list walks them in orders its pipeline has no index for, and checks those
// from the index alone (migration DealOrderIndexesCarryListFilters; left out of the comparison).
@Index('deals_by_value', { synchronize: false })
@Index('deals_by_updated', { synchronize: false })
@Index('deals_by_stage_entry', { synchronize: false })
@Index('deals_by_title', { synchronize: false })
@Index('deals_by_closing', ['workspaceId', 'closedAt', 'id'], { where: 'deleted_at IS NULL AND closed_at IS NOT NULL' })
// Expressions (the never-null sort keys of deal.query.ts), which TypeORM cannot model: made by
// the migrations IndexEveryDealOrdering, IndexStageColumnOrderings and
// IndexPipelineCloseDateOrderings, and left out of their comparison.
@Index('deals_by_close_date_asc', { synchronize: false })
@Index('deals_by_close_date_desc', { synchronize: false })
@Index('deals_stage_by_close_date_asc', { synchronize: false })
@Index('deals_stage_by_close_date_desc', { synchronize: false })
@Index('deals_pipeline_by_close_date_asc', { synchronize: false })
@Index('deals_pipeline_by_close_date_desc', { synchronize: false })
// Trigram index for `search`, made by the migration IndexTextSearch.
@Index('deals_title_search', { synchronize: false })
@Index('deals_by_lead_source', ['workspaceId', 'leadSource', 'createdAt', 'id'], { where: 'deleted_at IS NULL AND lead_source IS NOT NULL' })
@Index('deals_lead', ['leadId'], { unique: true, where: 'lead_id IS NOT NULL' })
@Check('"value" >= 0')
export class Deal extends WorkspaceOwned {
  @Field(() => ID, { description: 'Deal id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Deal title.' })
  @Column('text')
  title: string;

  @Field(() => Float, { description: 'Value in the workspace currency, exact to the cent.' })
  @Column(money)
  value: number;

  @Column('uuid')
  pipelineId: string;

  @ManyToOne(() => Pipeline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pipeline_id' })
  pipeline?: Pipeline;

  // The same pipeline and (below) stage with the workspace: a deal's pipeline and stage are in
  // its workspace, so a list of one of the viewer's stages or pipelines holds only the viewer's
  // deals (deal.query.ts). Keys beside the plain ones, which tools that read the schema's
  // relations (GraphQL servers over PostgreSQL) name as before.
  @ManyToOne(() => Pipeline, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'pipeline_id', referencedColumnName: 'id', foreignKeyConstraintName: 'deals_pipeline_in_workspace' },
    { name: 'workspace_id', referencedColumnName: 'workspaceId', foreignKeyConstraintName: 'deals_pipeline_in_workspace' },
  ])
  pipelineInWorkspace?: Pipeline;

  @Column('uuid')
  stageId: string;

  @ManyToOne(() => Stage, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stage_id' })
  stage?: Stage;

  @ManyToOne(() => Stage, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'stage_id', referencedColumnName: 'id', foreignKeyConstraintName: 'deals_stage_in_workspace' },
    { name: 'workspace_id', referencedColumnName: 'workspaceId', foreignKeyConstraintName: 'deals_stage_in_workspace' },
  ])
  stageInWorkspace?: Stage;

  @Field(() => DealStatus, { description: 'OPEN, WON or LOST; follows the kind of its stage.' })
  @Column({ type: 'enum', enum: DealStatus, enumName: 'deal_status', default: DealStatus.OPEN })
  status: DealStatus;

  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column('uuid', { nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id' })
  lead?: Lead;

  /**
   * Its lead's source, copied by the trigger of deal-lead-source.sql (kept when the lead's
   * source changes) so that filtering by source reads an index and the planner counts the
   * deals of each source, instead of probing every deal's lead in list order.
   */
  @Column({ type: 'enum', enum: LeadSource, enumName: 'lead_source', nullable: true })
  leadSource: LeadSource | null;

  @Field(() => Date, { nullable: true, description: 'When the deal is expected to close.' })
  @Column(nullableTimestamp)
  expectedCloseDate: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the deal was lost; null unless LOST.' })
  @Column('text', { nullable: true })
  lostReason: string | null;

  @Field({ description: 'When the deal was created.' })
  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;

  @Field({ description: 'When the deal last changed.' })
  @Column({ ...timestamp, default: () => 'now()' })
  updatedAt: Date;

  @Field({ description: 'When the deal entered its current stage.' })
  @Column({ ...timestamp, default: () => 'now()' })
  stageEnteredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the deal was won or lost; null while OPEN.' })
  @Column(nullableTimestamp)
  closedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Latest activity on the deal: its doneAt, or its creation time while not done.',
  })
  @Column(nullableTimestamp)
  lastActivityAt: Date | null;

  @Field(() => Int, { description: 'Grows by one with every change; pass it as expectedVersion to guard a write.' })
  @Column('int', { default: 1 })
  version: number;

  @Field(() => Int, {
    description: 'Times the expected close date moved from a date to a later date while the deal was OPEN '
      + '(setting it where there was none, or clearing it, does not count).',
  })
  @Column('int', { default: 0 })
  slipCount: number;

  /** Soft delete: a deleted deal counts nowhere, but its events still resolve. */
  @Column(nullableTimestamp)
  deletedAt: Date | null;
}
