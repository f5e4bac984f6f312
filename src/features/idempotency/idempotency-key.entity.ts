import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';
import { Workspace } from '../workspaces/workspace.entity';

/**
 * An `Idempotency-Key` a user sent with a create, claimed in the create's own transaction:
 * the key exists exactly when the create committed. `response` is the first answer, replayed
 * to a retry with the same key and the same request for 24 hours.
 */
@Entity('idempotency_keys')
@Index(['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn('text')
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  /** The internal user key: each user has keys of their own. */
  @PrimaryColumn('uuid')
  userId: string;

  @PrimaryColumn('text')
  key: string;

  /** SHA-256 of the request (document, operation name, variables): same key, other request is refused. */
  @Column('text')
  fingerprint: string;

  /** The mutation field the key was used for. */
  @Column('text')
  operation: string;

  /** The GraphQL result first sent; null while the first request is still answering. */
  @Column('jsonb', { nullable: true })
  response: Record<string, unknown> | null;

  @Column({ ...timestamp, default: () => 'now()' })
  createdAt: Date;
}
