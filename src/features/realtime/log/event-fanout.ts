import type { Loaders } from '../../../loaders';
import { Viewer } from '../../workspaces/viewer';
import { DealEvent, DealEventRow, toDealEvent } from './deal-event.type';
import { pipelineKey, SubscriberRegistry } from './subscriber-registry';

/** A pipeline that had events in a tick. */
export interface TouchedPipeline {
  workspaceId: string;
  pipelineId: string;
  /** The relay's work on the pipeline's last event of the tick, if any (its metrics). */
  work?: unknown;
}

/** What handing one batch of events to the subscribers did. */
export interface FanOut {
  /** Events × the subscribers each went to. */
  deliveries: number;
  /** Each delivered event's age, in seconds. */
  ageSeconds: number[];
  /** Every pipeline the batch had events of, subscribed to or not. */
  touched: TouchedPipeline[];
}

/**
 * Hands final events (in seq order) to the local subscribers of their pipelines. One object
 * per event, shared by every subscriber, with one loader set per workspace: resolved and
 * executed once, whatever the audience. With the relay's work or the rows the log read
 * brought, the loaders start with them, so the execution reads nothing.
 */
export function fanOut(rows: readonly DealEventRow[], subscribers: SubscriberRegistry, loadersFor: (viewer: Viewer) => Loaders,
  prime?: (loaders: Loaders, row: DealEventRow) => void): FanOut {
  const perWorkspace = new Map<string, Loaders>();
  const groups = new Map<string, DealEvent[]>();
  const touched = new Map<string, TouchedPipeline>();
  for (const row of rows) {
    const k = pipelineKey(row.workspace_id, row.pipeline_id);
    touched.set(k, { workspaceId: row.workspace_id, pipelineId: row.pipeline_id, work: row.work });
    const listeners = subscribers.of(k);
    if (!listeners?.size) continue;
    let loaders = perWorkspace.get(row.workspace_id);
    if (!loaders) {
      loaders = loadersFor(listeners.values().next().value!.viewer);
      perWorkspace.set(row.workspace_id, loaders);
    }
    let events = groups.get(k);
    if (!events) groups.set(k, (events = []));
    if (row.work !== undefined || row.related !== undefined) prime?.(loaders, row);
    events.push(toDealEvent(row, loaders));
  }
  let deliveries = 0;
  const ageSeconds: number[] = [];
  const now = Date.now();
  for (const [k, events] of groups) {
    // A listener that overflows leaves the set while it is walked, which a Set allows.
    const listeners = subscribers.of(k);
    if (!listeners) continue;
    deliveries += events.length * listeners.size;
    for (const listener of listeners) listener.deliver(events);
    for (const event of events) ageSeconds.push((now - event.occurredAt.getTime()) / 1000);
  }
  return { deliveries, ageSeconds, touched: [...touched.values()] };
}
