import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { WorkspaceOwned } from '../workspaces/workspace-owned';

@ObjectType({ description: 'A sequence of stages that deals move through to won or lost.' })
@Unique('pipelines_in_workspace', ['id', 'workspaceId'])
@Entity('pipelines')
@Index(['workspaceId', 'createdAt'])
export class Pipeline extends WorkspaceOwned {
  @Field(() => ID, { description: 'Pipeline id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'Pipeline name.' })
  @Column('text')
  name: string;

  @Field({ description: 'When the pipeline was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
