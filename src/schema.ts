import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, NonEmptyArray } from 'type-graphql';
import { resolveTypesSynchronously } from './infra/graphql/sync-type-resolution';
import { ActivityResolver } from './features/activities/activity.resolver';
import { DealResolver } from './features/deals/deal.resolver';
import { StageChangeResolver } from './features/deals/stage-change.resolver';
import { DealHealthResolver } from './features/health/health.resolver';
import { LeadResolver } from './features/leads/lead.resolver';
import { PipelineResolver } from './features/pipelines/pipeline.resolver';
import { StageResolver } from './features/pipelines/stage.resolver';
import { UserResolver } from './features/workspaces/user.resolver';
import { PipelineMetricsResolver } from './features/reports/reports.resolver';
import { AnalyticsResolver } from './features/reports/analytics.resolver';
import { GoalResolver } from './features/goals/goal.resolver';
import { DealEventResolver } from './features/realtime/subscriptions/deal-event.resolver';
import { LiveMetricsResolver } from './features/realtime/subscriptions/live-metrics.resolver';
import { PipelineFlowResolver } from './features/history/flow.resolver';
import { DealSnapshotResolver, PipelineSnapshotResolver, StageSnapshotResolver } from './features/history/snapshot.resolver';
import { DealTimelineResolver } from './features/history/timeline.resolver';
import { noTopicPubSub } from './features/realtime/subscriptions/no-topic-pubsub';
import { WebhookResolver } from './features/webhooks/webhook.resolver';

const resolvers: NonEmptyArray<Function> = [
  UserResolver,
  PipelineResolver,
  StageResolver,
  DealResolver,
  DealHealthResolver,
  StageChangeResolver,
  LeadResolver,
  ActivityResolver,
  PipelineMetricsResolver,
  AnalyticsResolver,
  GoalResolver,
  DealEventResolver,
  LiveMetricsResolver,
  DealTimelineResolver,
  PipelineSnapshotResolver,
  StageSnapshotResolver,
  DealSnapshotResolver,
  PipelineFlowResolver,
  WebhookResolver,
];

/** The executable schema. Resolvers are stateless singletons: per-request state lives in the context. */
export async function createSchema(): Promise<GraphQLSchema> {
  return resolveTypesSynchronously(await buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    pubSub: noTopicPubSub,
    // Inputs are checked by the services, which own the rules and their error messages.
    validate: false,
  }));
}

/** The SDL committed as schema/schema.graphql: sorted, so that diffs show real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
