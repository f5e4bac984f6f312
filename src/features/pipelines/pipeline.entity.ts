import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity';

@ObjectType({ description: 'A sequence of stages that deals move through to won or lost.' })
@Entity('pipelines')
@Index(['workspaceId', 'createdAt'])
export class Pipeline {
  @Field(() => ID, { description: 'Pipeline id.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Field({ description: 'Pipeline name.' })
  @Column('text')
  name: string;

  @Field({ description: 'When the pipeline was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
