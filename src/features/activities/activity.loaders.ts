import { EntityManager } from 'typeorm';
import { groupLoader } from '../../infra/loaders/loader-kit';
import { Viewer } from '../workspaces/viewer';
import { Activity } from './activity.entity';

export function createActivityLoaders(em: EntityManager, viewer: Viewer) {
  const ofParent = (column: 'deal_id' | 'lead_id') => groupLoader(em, Activity,
    `SELECT * FROM activities WHERE ${column} = ANY($1::uuid[]) AND workspace_id = $2 ORDER BY created_at, id`,
    column, viewer.workspaceId);
  return { activitiesOfDeal: ofParent('deal_id'), activitiesOfLead: ofParent('lead_id') };
}
