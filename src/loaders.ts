import { EntityManager } from 'typeorm';
import { createActivityLoaders } from './features/activities/activity.loaders';
import { createDealLoaders } from './features/deals/deal.loaders';
import { createHealthLoaders } from './features/health/health.loaders';
import { createLeadLoaders } from './features/leads/lead.loaders';
import { createTimelineLoaders } from './features/history/timeline.loaders';
import { createPipelineLoaders } from './features/pipelines/pipeline.loaders';
import { createUserLoaders } from './features/workspaces/user.loaders';
import { createWebhookLoaders } from './features/webhooks/webhook.loaders';
import { Viewer } from './features/workspaces/viewer';

/** One set per request (and per subscription event): batching without shared caches. */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  return {
    ...createUserLoaders(em, viewer),
    ...createPipelineLoaders(em, viewer),
    ...createLeadLoaders(em, viewer),
    ...createDealLoaders(em, viewer),
    ...createActivityLoaders(em, viewer),
    ...createTimelineLoaders(em, viewer),
    ...createHealthLoaders(em, viewer),
    ...createWebhookLoaders(em, viewer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
