import { Activity } from './features/activities/activity.entity';
import { DealEventRecord } from './features/deals/deal-event.entity';
import { Deal } from './features/deals/deal.entity';
import { StageChange } from './features/deals/stage-change.entity';
import { Lead } from './features/leads/lead.entity';
import { Pipeline } from './features/pipelines/pipeline.entity';
import { Stage } from './features/pipelines/stage.entity';
import { User } from './features/workspaces/user.entity';
import { Workspace } from './features/workspaces/workspace.entity';
import { Goal } from './features/goals/goal.entity';
import { StageVisit, StageVisitBacklog } from './features/reports/stage-visit.entity';
import { StageTally, StageTallyDelta } from './features/reports/stage-tally.entity';
import { DealStallMark } from './features/health/stall-mark.entity';
import { DealHistoryEntry } from './features/history/deal-history.entity';
import { IdempotencyKey } from './features/idempotency/idempotency-key.entity';
import { Webhook } from './features/webhooks/webhook.entity';
import { WebhookDelivery, WebhookFeed } from './features/webhooks/webhook-delivery.entity';

/** Every persisted entity; migrations are generated from this list. */
export const entities = [Workspace, User, Pipeline, Stage, Lead, Deal, StageChange, Activity, DealEventRecord, Goal, IdempotencyKey, StageVisit, StageVisitBacklog, StageTally, StageTallyDelta, DealHistoryEntry,
  DealStallMark,
  Webhook, WebhookDelivery, WebhookFeed];
