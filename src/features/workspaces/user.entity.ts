import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './role';
import { WorkspaceOwned } from './workspace-owned';

/** A person of a workspace, created the first time a valid token names them. */
@ObjectType({ description: 'A person of the workspace.' })
@Entity('users')
@Index(['workspaceId', 'externalId'], { unique: true })
export class User extends WorkspaceOwned {
  /** Internal key; the API shows `externalId` as the user's id. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { name: 'id', description: 'The user id: the `sub` claim of their token.' })
  @Column('text')
  externalId: string;

  @Field(() => String, { nullable: true, description: 'Display name, from the token.' })
  @Column('text', { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true, description: 'Email address, from the token.' })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => Role, { description: 'Role, as the latest token named it.' })
  @Column({ type: 'enum', enum: Role, enumName: 'role' })
  role: Role;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
