import { DataSource } from 'typeorm';
import { ActivityService } from './features/activities/activity.service';
import { DealService } from './features/deals/deal.service';
import { LeadService } from './features/leads/lead.service';
import { PipelineService } from './features/pipelines/pipeline.service';
import { IdentityService } from './features/workspaces/identity.service';

/** The services of the domain, built once per app. */
export function createServices(db: DataSource) {
  const deals = new DealService();
  return {
    identity: new IdentityService(db),
    pipelines: new PipelineService(),
    deals,
    leads: new LeadService(deals),
    activities: new ActivityService(deals),
  };
}

export type Services = ReturnType<typeof createServices>;
