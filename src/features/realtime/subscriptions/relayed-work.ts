import type { Logger } from 'pino';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { createLoaders, Loaders } from '../../../loaders';
import type { Services } from '../../../services';
import { Deal } from '../../deals/deal.entity';
import { Stage } from '../../pipelines/stage.entity';
import { PipelineMetrics, StageMetrics } from '../../reports/metrics.types';
import { Role } from '../../workspaces/role';
import { User } from '../../workspaces/user.entity';
import { Viewer } from '../../workspaces/viewer';
import { DealEventRow } from '../log/deal-event.type';
import { pipelineKey } from '../log/subscriber-registry';
import type { WatchedPipelines } from '../log/watched-pipelines';

/**
 * What the relay works out once per event for every instance (with NATS), carried on the
 * stream with the event as plain JSON: the rows its fields refer to, and after the last event
 * of a pipeline in a batch, the pipeline's live metrics (default range). Instances deliver
 * from these without reading PostgreSQL; what is missing they read themselves, as without NATS.
 * None of it depends on the subscriber's role: every role reads every deal of its workspace
 * (execution, and so any role-dependent field, stays per operation, workspace and role).
 */
export interface RelayedWork {
  deal?: Record<string, unknown>;
  stages?: Record<string, unknown>[];
  users?: Record<string, unknown>[];
  metrics?: Record<string, unknown>;
}

/** Reads on the relay see the workspace as any reader of it does. */
const relayViewer = (workspaceId: string): Viewer => ({ workspaceId, userId: '', externalId: 'event-relay', role: Role.ANALYST });

const present = <T>(values: (T | null | undefined)[]): T[] => values.filter((v): v is T => v !== null && v !== undefined);

/**
 * The relay's side: attaches the work to each event of a pipeline some instance watches
 * (`watched`, as the instances announce it). One loader set per workspace per batch, so a
 * batch's related rows are a few statements; metrics once per watched pipeline per batch.
 * A failure leaves the work out (instances then read for themselves); it never holds up publishing.
 */
export function relayWork(em: EntityManager, services: Services, watched: WatchedPipelines, logger: Logger) {
  return async (rows: DealEventRow[]): Promise<void> => {
    const loadersOf = new Map<string, Loaders>();
    const loaders = (workspaceId: string) => {
      let set = loadersOf.get(workspaceId);
      if (!set) loadersOf.set(workspaceId, (set = createLoaders(em, relayViewer(workspaceId))));
      return set;
    };
    const lastOfPipeline = new Map<string, DealEventRow>();
    const related = rows.filter((row) => watched.wantsEvents(pipelineKey(row.workspace_id, row.pipeline_id))).map(async (row) => {
      const set = loaders(row.workspace_id);
      const deal = await set.dealIncludingDeleted.load(row.deal_id);
      const stageIds = new Set(present([row.from_stage_id, row.to_stage_id, deal?.stageId]));
      const [stages, actor] = await Promise.all([
        Promise.all([...stageIds].map((id) => set.stage.load(id))),
        row.actor_id ? set.user.load(row.actor_id) : null,
      ]);
      row.work = { ...(row.work as RelayedWork), ...(deal && { deal }), stages: present(stages), users: present([actor]) };
    });
    for (const row of rows) lastOfPipeline.set(pipelineKey(row.workspace_id, row.pipeline_id), row);
    const metrics = [...lastOfPipeline].filter(([key]) => watched.wantsMetrics(key)).map(async ([, row]) => {
      const value = await services.reports.pipelineMetrics(em, relayViewer(row.workspace_id), row.pipeline_id);
      row.work = { ...(row.work as RelayedWork), metrics: value };
    });
    for (const outcome of await Promise.allSettled([...related, ...metrics])) {
      if (outcome.status === 'rejected') logger.warn({ err: outcome.reason }, 'working out an event for the instances failed; they read it themselves');
    }
  };
}

/** Builds an entity from its JSON (timestamps come as strings). */
function revive<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, plain: Record<string, unknown>): T {
  const metadata = em.connection.getMetadata(target);
  const entity = metadata.create() as Record<string, unknown>;
  for (const column of metadata.columns) {
    const value = plain[column.propertyName];
    if (value === undefined) continue;
    entity[column.propertyName] = typeof value === 'string' && column.type === 'timestamptz' ? new Date(value) : value;
  }
  return entity as T;
}

/** An instance's side: the event's loaders answer its deal, stages and actor from the work. */
export function primeFromWork(em: EntityManager) {
  return (loaders: Loaders, work: unknown): void => {
    const { deal, stages = [], users = [] } = work as RelayedWork;
    if (deal) loaders.dealIncludingDeleted.prime(deal.id as string, revive(em, Deal, deal));
    for (const stage of stages) loaders.stage.prime(stage.id as string, revive(em, Stage, stage));
    for (const user of users) loaders.user.prime(user.id as string, revive(em, User, user));
  };
}

/** The pipeline's metrics the relay computed with an event, if it did. */
export function metricsFromWork(em: EntityManager) {
  return (work: unknown): PipelineMetrics | undefined => {
    const metrics = (work as RelayedWork | undefined)?.metrics;
    if (!metrics) return undefined;
    const stages = (metrics.stages as Record<string, unknown>[]).map((s) => Object.assign(new StageMetrics(), s, {
      stage: revive(em, Stage, s.stage as Record<string, unknown>),
    }));
    return Object.assign(new PipelineMetrics(), metrics, {
      from: new Date(metrics.from as string),
      to: new Date(metrics.to as string),
      computedAt: new Date(metrics.computedAt as string),
      stages,
    });
  };
}
