import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { SqlParams } from '../../infra/db/sql-params';
import { decodeCursor, encodeCursor, listIdentity, pageSize } from '../../infra/pagination/cursor';
import { Activity } from '../activities/activity.entity';
import { DealEventRow, toDealEvent } from '../realtime/log/deal-event.type';
import { Viewer } from '../workspaces/viewer';
import { DealTimelineConnection, HistoryPageArgs } from './timeline.types';
import { TIMELINE_LIST, TIMELINE_ORDER, timelineEntriesSql } from './timeline.sql';

interface TimelineKey extends HistoryPageArgs {
  dealId: string;
}

interface TimelineRow {
  deal_id: string;
  at: string;
  rank: number;
  k: string;
  event: DealEventRow | null;
  activity: Record<string, unknown> | null;
}

/** A page of the timelines of `dealIds` (each read after the sort keys `after`, when given), newest first. */
function timelineSql(params: SqlParams, workspaceId: string, dealIds: string[], first: number, after?: string[]): string {
  const ids = `${params.add(dealIds)}::uuid[]`;
  const workspace = params.add(workspaceId);
  const bound = after
    ? { at: `${params.add(after[0])}::timestamptz`, rank: `${params.add(after[1])}::int`, k: `${params.add(after[2])}::text` } : undefined;
  return `SELECT deal_id, at::text AS at, rank, k,
      CASE WHEN activity_id IS NULL THEN json_build_object('seq', seq::text, 'workspace_id', workspace_id, 'pipeline_id', pipeline_id,
        'deal_id', deal_id, 'type', type, 'from_stage_id', from_stage_id, 'to_stage_id', to_stage_id, 'actor_id', actor_id,
        'occurred_at', occurred_at, 'changes', changes) END AS event,
      (SELECT row_to_json(a) FROM activities a WHERE a.id = activity_id) AS activity
    FROM (
      SELECT entries.*, row_number() OVER (PARTITION BY entries.deal_id ORDER BY ${TIMELINE_ORDER}) AS n
        FROM unnest(${ids}) AS asked(id) CROSS JOIN LATERAL (${timelineEntriesSql('asked.id', workspace, first + 1, bound)}) entries
    ) ranked WHERE n <= ${first + 1} ORDER BY deal_id, n`;
}

/**
 * Timelines of many deals with the same page arguments: one statement. A cursor belongs to
 * one deal's timeline: on another deal's it is bad input (field `after`), for that deal alone.
 */
export function createTimelineLoaders(em: EntityManager, viewer: Viewer) {
  const cacheKeyFn = (key: TimelineKey) => JSON.stringify([key.dealId, key.first ?? null, key.after ?? null]);
  const timeline = new DataLoader<TimelineKey, DealTimelineConnection, string>(async (keys) => {
    const answers = new Map<string, DealTimelineConnection | Error>();
    const groups = new Map<string, TimelineKey[]>();
    for (const key of keys) {
      const signature = JSON.stringify([key.first ?? null, key.after ?? null]);
      groups.set(signature, [...(groups.get(signature) ?? []), key]);
    }
    for (const group of groups.values()) {
      const { first, after } = group[0];
      const size = pageSize(first);
      let sortKeys: string[] | undefined;
      const readable = group.filter((key) => {
        if (!after) return true;
        try {
          sortKeys = decodeCursor(after, viewer.workspaceId, listIdentity(TIMELINE_LIST, key.dealId), 3);
          return true;
        } catch (err) {
          answers.set(cacheKeyFn(key), err as Error);
          return false;
        }
      });
      if (readable.length === 0) continue;
      const params = new SqlParams();
      const sql = timelineSql(params, viewer.workspaceId, readable.map((key) => key.dealId), size, sortKeys);
      const rows: TimelineRow[] = await em.query(sql, params.values);
      for (const key of readable) answers.set(cacheKeyFn(key), toConnection(em, viewer, rows.filter((r) => r.deal_id === key.dealId), key, size));
    }
    return keys.map((key) => answers.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });
  return { timeline };
}

function toConnection(em: EntityManager, viewer: Viewer, rows: TimelineRow[], key: TimelineKey, size: number): DealTimelineConnection {
  const list = listIdentity(TIMELINE_LIST, key.dealId);
  const kept = rows.slice(0, size);
  const edges = kept.map((row) => ({
    cursor: encodeCursor(viewer.workspaceId, list, [row.at, String(row.rank), row.k]),
    node: row.event ? toDealEvent(row.event) : hydrateJsonRows(em, Activity, [row.activity!])[0],
  }));
  return {
    edges, nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: rows.length > size, hasPreviousPage: Boolean(key.after),
      startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
