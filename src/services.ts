import { DataSource } from 'typeorm';
import { ActivityService } from './features/activities/activity.service';
import { DealService } from './features/deals/deal.service';
import { LeadService } from './features/leads/lead.service';
import { PipelineService } from './features/pipelines/pipeline.service';
import { IdentityService } from './features/workspaces/identity.service';
import { ReportService } from './features/reports/metrics.service';
import { GoalService } from './features/goals/goal.service';
import { HistoryService } from './features/history/history.service';
import { WebhookService } from './features/webhooks/webhook.service';
import { DEFAULT_REPORT_TIMEOUT_MS } from './features/reports/report-timeout';

/** Settings of the services that are not the database. */
export interface ServiceOptions {
  /** Longest a report statement may run, in ms. */
  reportTimeoutMs?: number;
  /** Accept webhook URLs on loopback, private and link-local addresses (and http to them). */
  allowPrivateWebhooks?: boolean;
}

/** The services of the domain, built once per app. */
export function createServices(db: DataSource, options: ServiceOptions = {}) {
  const deals = new DealService();
  return {
    identity: new IdentityService(db),
    pipelines: new PipelineService(),
    deals,
    leads: new LeadService(deals),
    activities: new ActivityService(deals),
    reports: new ReportService(options.reportTimeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS),
    goals: new GoalService(options.reportTimeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS),
    history: new HistoryService(options.reportTimeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS),
    webhooks: new WebhookService(options.allowPrivateWebhooks ?? false),
  };
}

export type Services = ReturnType<typeof createServices>;
