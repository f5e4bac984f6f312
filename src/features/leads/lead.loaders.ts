import { EntityManager } from 'typeorm';
import { byIdLoader } from '../../infra/loaders/loader-kit';
import { Viewer } from '../workspaces/viewer';
import { Lead } from './lead.entity';

export function createLeadLoaders(em: EntityManager, viewer: Viewer) {
  return { lead: byIdLoader(em, Lead, 'leads', viewer.workspaceId) };
}
