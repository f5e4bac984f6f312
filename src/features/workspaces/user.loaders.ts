import { EntityManager } from 'typeorm';
import { byIdLoader } from '../../infra/loaders/loader-kit';
import { User } from './user.entity';
import { Viewer } from './viewer';

export function createUserLoaders(em: EntityManager, viewer: Viewer) {
  return { user: byIdLoader(em, User, 'users', viewer.workspaceId) };
}
