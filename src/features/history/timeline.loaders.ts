import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { SqlParams } from '../../infra/db/sql-params';
import { decodeCursor, encodeCursor, pageSize } from '../../infra/pagination/cursor';
import { Activity } from '../activities/activity.entity';
import { DealEventRow, toDealEvent } from '../realtime/log/deal-event.type';
import { Viewer } from '../workspaces/viewer';
import { DealTimelineConnection, HistoryPageArgs } from './timeline.types';

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

const ORDERING = 'timeline';

/**
 * Entries of the deals' timelines, newest first: (time, events before activities, the later
 * seq or id first). Events come from the durable field history, which keeps every change
 * after the event log has pruned it; events the history does not hold (those that change no
 * field, such as STALLED) come from the log while it keeps them.
 */
function timelineSql(params: SqlParams, workspaceId: string, dealIds: string[], args: HistoryPageArgs): string {
  const ids = `${params.add(dealIds)}::uuid[]`;
  const workspace = params.add(workspaceId);
  let after = 'true';
  if (args.after) {
    const [at, rank, k] = decodeCursor(args.after, workspaceId, ORDERING, 3);
    after = `(at, rank, k) < (${params.add(at)}::timestamptz, ${params.add(rank)}::int, ${params.add(k)}::text)`;
  }
  const event = (alias: string, at: string) => `json_build_object('seq', ${alias}.seq::text, 'workspace_id', ${alias}.workspace_id,
      'pipeline_id', ${alias}.pipeline_id, 'deal_id', ${alias}.deal_id, 'type', ${alias}.type, 'from_stage_id', ${alias}.from_stage_id,
      'to_stage_id', ${alias}.to_stage_id, 'actor_id', ${alias}.actor_id, 'occurred_at', ${at}, 'changes', ${alias}.changes)`;
  return `SELECT deal_id, at::text AS at, rank, k, event, activity FROM (
      SELECT *, row_number() OVER (PARTITION BY deal_id ORDER BY at DESC, rank DESC, k DESC) AS n FROM (
        SELECT h.deal_id, h.valid_to AS at, 1 AS rank, lpad(h.seq::text, 20, '0') AS k, ${event('h', 'h.valid_to')} AS event,
               NULL::json AS activity
          FROM deal_history h WHERE h.deal_id = ANY(${ids}) AND h.workspace_id = ${workspace} AND h.seq IS NOT NULL
        UNION ALL
        SELECT e.deal_id, e.occurred_at, 1, lpad(e.seq::text, 20, '0'), ${event('e', 'e.occurred_at')}, NULL
          FROM deal_events e WHERE e.deal_id = ANY(${ids}) AND e.workspace_id = ${workspace}
           AND NOT EXISTS (SELECT FROM deal_history h WHERE h.deal_id = e.deal_id AND h.valid_to = e.occurred_at)
        UNION ALL
        SELECT a.deal_id, coalesce(a.done_at, a.created_at), 0, a.id::text, NULL, row_to_json(a)
          FROM activities a WHERE a.deal_id = ANY(${ids}) AND a.workspace_id = ${workspace}
      ) entries WHERE ${after}
    ) ranked WHERE n <= ${pageSize(args.first) + 1} ORDER BY deal_id, n`;
}

/** Timelines of many deals with the same page arguments: one statement. */
export function createTimelineLoaders(em: EntityManager, viewer: Viewer) {
  const cacheKeyFn = (key: TimelineKey) => JSON.stringify([key.dealId, key.first ?? null, key.after ?? null]);
  const timeline = new DataLoader<TimelineKey, DealTimelineConnection, string>(async (keys) => {
    const answers = new Map<string, DealTimelineConnection>();
    const groups = new Map<string, TimelineKey[]>();
    for (const key of keys) {
      const signature = JSON.stringify([key.first ?? null, key.after ?? null]);
      groups.set(signature, [...(groups.get(signature) ?? []), key]);
    }
    for (const group of groups.values()) {
      const params = new SqlParams();
      const sql = timelineSql(params, viewer.workspaceId, group.map((key) => key.dealId), group[0]);
      const rows: TimelineRow[] = await em.query(sql, params.values);
      for (const key of group) answers.set(cacheKeyFn(key), toConnection(em, viewer, rows.filter((r) => r.deal_id === key.dealId), key));
    }
    return keys.map((key) => answers.get(cacheKeyFn(key))!);
  }, { cacheKeyFn });
  return { timeline };
}

function toConnection(em: EntityManager, viewer: Viewer, rows: TimelineRow[], args: HistoryPageArgs): DealTimelineConnection {
  const size = pageSize(args.first);
  const kept = rows.slice(0, size);
  const edges = kept.map((row) => ({
    cursor: encodeCursor(viewer.workspaceId, ORDERING, [row.at, String(row.rank), row.k]),
    node: row.event ? toDealEvent(row.event) : hydrateJsonRows(em, Activity, [row.activity!])[0],
  }));
  return {
    edges, nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: rows.length > size, hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
