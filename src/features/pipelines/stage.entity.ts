import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { numericToNumber } from '../../infra/db/columns';
import { Pipeline } from './pipeline.entity';
import { StageKind } from './stage-kind';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

@ObjectType({ description: 'A step of a pipeline.' })
@Unique('stages_in_workspace', ['id', 'workspaceId'])
@Entity('stages')
@Index(['pipelineId', 'position'])
@Check('"probability" >= 0 AND "probability" <= 1')
@Index(['workspaceId'])
export class Stage extends WorkspaceOwned {
  @Field(() => ID, { description: 'Stage id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  pipelineId: string;

  @ManyToOne(() => Pipeline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pipeline_id' })
  pipeline?: Pipeline;

  @Field({ description: 'Stage name.' })
  @Column('text')
  name: string;

  @Field(() => Int, { description: 'Place in the pipeline, from 0; stages are listed in this order.' })
  @Column('int')
  position: number;

  @Field(() => StageKind, { description: 'OPEN, WON or LOST.' })
  @Column({ type: 'enum', enum: StageKind, enumName: 'stage_kind' })
  kind: StageKind;

  @Field(() => Float, { description: 'Chance, 0..1, that a deal in this stage is won; weights its value.' })
  @Column({ type: 'numeric', precision: 5, scale: 4, transformer: numericToNumber })
  probability: number;

  @Field(() => Int, {
    nullable: true,
    description: 'An open deal idle longer than this many days in the stage is stalled; null: never.',
  })
  @Column('int', { nullable: true })
  rottingAfterDays: number | null;
}
