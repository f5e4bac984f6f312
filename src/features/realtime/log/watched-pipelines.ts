/** How often an instance repeats what its subscribers watch. */
export const ANNOUNCE_EVERY_MS = 2_000;
/** A pipeline nobody announced for this long is no longer watched (three announcements missed). */
const FORGET_AFTER_MS = 3 * ANNOUNCE_EVERY_MS;

/** What one instance's subscribers watch, by `pipelineKey`: events, and live metrics of the default range. */
export interface Watching {
  events: string[];
  metrics: string[];
}

/**
 * With NATS, the relay's picture of what the instances' subscribers watch, from their
 * announcements: it works out events and metrics for these pipelines only, so writes to
 * pipelines nobody watches cost no more than without NATS. A pipeline announced late only
 * means its first events come without that work, and the instances read for themselves.
 */
export class WatchedPipelines {
  private readonly events = new Map<string, number>();
  private readonly metrics = new Map<string, number>();

  heard(watching: Watching, now = Date.now()): void {
    for (const [heard, keys] of [[this.events, watching.events], [this.metrics, watching.metrics]] as const) {
      // Pipelines nobody watches any more go, written to or not.
      for (const [key, at] of heard) if (now - at > FORGET_AFTER_MS) heard.delete(key);
      for (const key of keys) heard.set(key, now);
    }
  }

  wantsEvents(key: string): boolean {
    return this.fresh(this.events, key);
  }

  /** The ids of the pipelines whose events are watched (pipeline ids are unique across workspaces). */
  eventPipelineIds(now = Date.now()): string[] {
    const ids: string[] = [];
    for (const [key, at] of this.events) if (now - at <= FORGET_AFTER_MS) ids.push(key.slice(key.lastIndexOf('\u0000') + 1));
    return ids;
  }

  wantsMetrics(key: string): boolean {
    return this.fresh(this.metrics, key);
  }

  private fresh(heard: Map<string, number>, key: string): boolean {
    const at = heard.get(key);
    return at !== undefined && Date.now() - at <= FORGET_AFTER_MS;
  }
}
