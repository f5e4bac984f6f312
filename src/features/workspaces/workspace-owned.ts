import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { Workspace } from './workspace.entity';

/** Every row belongs to exactly one workspace: its column and foreign key, declared once. */
export abstract class WorkspaceOwned {
  @Column('text')
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;
}
