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
import { hydrateJsonRows } from '../../../infra/db/json-rows';
import { DealEventRow, RelatedRows } from '../log/deal-event.type';
import { pipelineKey } from '../log/subscriber-registry';
import type { PipelineWork } from '../log/event-relay';
import type { WatchedPipelines } from '../log/watched-pipelines';
import type { RelayedMetrics } from './metrics-broadcaster';

/**
 * What the relay works out once for every instance, carried on the stream as plain JSON: with
 * each event, the rows its fields refer to; after a batch, in a message of its own (so that
 * events never wait for it), the live metrics (default range) of each pipeline the batch
 * touched, announced on the pipeline's last event of the batch (`metricsFollow`). Instances
 * deliver from these without reading PostgreSQL; what is missing they read themselves, as
 * without NATS. None of it depends on the subscriber's role: every role reads every deal of
 * its workspace (execution, and so any role-dependent field, stays per operation, workspace
 * and role).
 */
export interface RelayedWork {
  deal?: Record<string, unknown>;
  stages?: Record<string, unknown>[];
  users?: Record<string, unknown>[];
  metricsFollow?: boolean;
  metrics?: Record<string, unknown>;
}

/** Reads on the relay see the workspace as any reader of it does. */
const relayViewer = (workspaceId: string): Viewer => ({ workspaceId, userId: '', externalId: 'event-relay', role: Role.ANALYST });

const present = <T>(values: (T | null | undefined)[]): T[] => values.filter((v): v is T => v !== null && v !== undefined);

/**
 * The relay's side, for the pipelines some instance watches (`watched`, as the instances
 * announce them): each event's related rows (one loader set per workspace per batch, so a few
 * statements per batch), and the metrics to publish after the batch, once per pipeline. A
 * failure leaves the work out (instances then read for themselves); it never holds up publishing.
 */
export function relayWork(em: EntityManager, services: Services, watched: WatchedPipelines, logger: Logger) {
  const failed = (err: unknown) => {
    logger.warn({ err }, 'working out events for the instances failed; they read for themselves');
    return undefined;
  };
  return async (rows: DealEventRow[]): Promise<PipelineWork[]> => {
    const loadersOf = new Map<string, Loaders>();
    const loaders = (workspaceId: string) => {
      let set = loadersOf.get(workspaceId);
      if (!set) loadersOf.set(workspaceId, (set = createLoaders(em, relayViewer(workspaceId))));
      return set;
    };
    const related = rows.filter((row) => watched.wantsEvents(pipelineKey(row.workspace_id, row.pipeline_id))).map(async (row) => {
      if (row.related) {
        // The log read brought the rows: no statement of its own.
        const { deal, stages, users } = entitiesOf(em, row.related);
        row.work = { ...(row.work as RelayedWork), ...(deal && { deal }), stages, users };
        return;
      }
      const set = loaders(row.workspace_id);
      const deal = await set.dealIncludingDeleted.load(row.deal_id);
      const stageIds = new Set(present([row.from_stage_id, row.to_stage_id, deal?.stageId]));
      const [stages, actor] = await Promise.all([
        Promise.all([...stageIds].map((id) => set.stage.load(id))),
        row.actor_id ? set.user.load(row.actor_id) : null,
      ]);
      row.work = { ...(row.work as RelayedWork), ...(deal && { deal }), stages: present(stages), users: present([actor]) };
    });
    await Promise.all(related).catch(failed);
    // Instances get the work, never the raw rows.
    for (const row of rows) delete row.related;

    const lastOfPipeline = new Map<string, DealEventRow>();
    for (const row of rows) lastOfPipeline.set(pipelineKey(row.workspace_id, row.pipeline_id), row);
    return [...lastOfPipeline].filter(([key]) => watched.wantsMetrics(key)).map(([, row]) => {
      row.work = { ...(row.work as RelayedWork), metricsFollow: true };
      return {
        workspaceId: row.workspace_id,
        pipelineId: row.pipeline_id,
        work: () => services.reports.pipelineMetrics(em, relayViewer(row.workspace_id), row.pipeline_id)
          .then((metrics): RelayedWork => ({ metrics: metrics as unknown as Record<string, unknown> }), failed),
      };
    });
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

/** The entities of rows the log read brought (`row_to_json`), as the loaders would have read them. */
function entitiesOf(em: EntityManager, related: RelatedRows): { deal?: Deal; stages: Stage[]; users: User[] } {
  return {
    deal: related.deal ? hydrateJsonRows(em, Deal, [related.deal])[0] : undefined,
    stages: hydrateJsonRows(em, Stage, related.stages ?? []),
    users: hydrateJsonRows(em, User, related.users ?? []),
  };
}

/**
 * An instance's side: the event's loaders answer its deal, stages and actor from the rows that
 * came with it, the log read's (without NATS) or the relay's work (JetStream).
 */
export function primeFromWork(em: EntityManager) {
  return (loaders: Loaders, row: DealEventRow): void => {
    if (row.related) {
      const { deal, stages, users } = entitiesOf(em, row.related);
      if (deal) loaders.dealIncludingDeleted.prime(deal.id, deal);
      for (const stage of stages) loaders.stage.prime(stage.id, stage);
      for (const user of users) loaders.user.prime(user.id, user);
      return;
    }
    const { deal, stages = [], users = [] } = (row.work ?? {}) as RelayedWork;
    if (deal) loaders.dealIncludingDeleted.prime(deal.id as string, revive(em, Deal, deal));
    for (const stage of stages) loaders.stage.prime(stage.id as string, revive(em, Stage, stage));
    for (const user of users) loaders.user.prime(user.id as string, revive(em, User, user));
  };
}

/** An instance's side: the metrics the relay announced on an event, and computed in a message after it. */
export function metricsFromWork(em: EntityManager): RelayedMetrics<PipelineMetrics> {
  const follows = (work: unknown) => (work as RelayedWork | undefined)?.metricsFollow === true;
  const value = (work: unknown): PipelineMetrics | undefined => {
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
  return { follows, value };
}
