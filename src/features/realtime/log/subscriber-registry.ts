import { Viewer } from '../../workspaces/viewer';
import { DealEvent } from './deal-event.type';

/** A local subscriber of one pipeline's events. */
export interface EventListener {
  viewer: Viewer;
  /** Receives the events of one tick, in seq order. Must not block. */
  deliver(events: DealEvent[]): void;
  /** Events received and not yet consumed. */
  backlog(): number;
}

/** The key of one workspace's pipeline: pipeline ids are unique, workspaces keep tenants apart. */
export const pipelineKey = (workspaceId: string, pipelineId: string) => `${workspaceId}\u0000${pipelineId}`;

/** This instance's subscribers of deal events, by workspace and pipeline. */
export class SubscriberRegistry {
  private readonly channels = new Map<string, Set<EventListener>>();

  add(workspaceId: string, pipelineId: string, listener: EventListener): void {
    const k = pipelineKey(workspaceId, pipelineId);
    let set = this.channels.get(k);
    if (!set) this.channels.set(k, (set = new Set()));
    set.add(listener);
  }

  remove(workspaceId: string, pipelineId: string, listener: EventListener): void {
    const k = pipelineKey(workspaceId, pipelineId);
    const set = this.channels.get(k);
    if (set?.delete(listener) && set.size === 0) this.channels.delete(k);
  }

  /** The subscribers of one pipeline (by `pipelineKey`), if any. */
  of(key: string): Set<EventListener> | undefined {
    return this.channels.get(key);
  }

  /** The pipelines (`pipelineKey`) with a subscriber here. */
  keys(): string[] {
    return [...this.channels.keys()];
  }

  /** The ids of the pipelines with a subscriber here (pipeline ids are unique across workspaces). */
  pipelineIds(): string[] {
    return [...this.channels.keys()].map((key) => key.slice(key.lastIndexOf('\u0000') + 1));
  }

  /** Whether any pipeline has a subscriber here. */
  get any(): boolean {
    return this.channels.size > 0;
  }

  /** Subscribers, over every pipeline. */
  get count(): number {
    let count = 0;
    for (const set of this.channels.values()) count += set.size;
    return count;
  }

  /** The longest backlog of any subscriber. */
  busiestBacklog(): number {
    let most = 0;
    for (const set of this.channels.values()) for (const listener of set) most = Math.max(most, listener.backlog());
    return most;
  }
}
