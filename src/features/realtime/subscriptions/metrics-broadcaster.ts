import type { Logger } from 'pino';
import { Viewer } from '../../workspaces/viewer';
import { TouchedPipeline } from '../log/event-fanout';
import { pipelineKey } from '../log/subscriber-registry';
import { LatestValue } from './latest-value';

/** Wait before computing again after a failed computation. */
const RETRY_MS = 1_000;
/** How long figures the relay announced may take before this instance computes them itself (the relay died meanwhile). */
const RELAYED_WITHIN_MS = 5_000;

/** With NATS: figures of the default range the relay computes once for every instance. */
export interface RelayedMetrics<M> {
  /** Whether the relay announced, on a tick's last event of a pipeline, that it computes the figures after it. */
  follows(work: unknown): boolean;
  /** The figures it computed, if it could. */
  value(work: unknown): M | undefined;
}

/** Computes a pipeline's metrics for a viewer of its workspace; the range is passed through. */
export type MetricsCompute<R, M extends object> = (viewer: Viewer, pipelineId: string, range: R | undefined) => Promise<M>;

interface Channel<R, M extends object> {
  workspaceId: string;
  pipelineId: string;
  range: R | undefined;
  subscribers: Set<LatestValue<M>>;
  /** Joined since the last computation started: they wait for their first value. */
  joined: Set<LatestValue<M>>;
  viewer: Viewer;
  generation: number;
  dirty: boolean;
  computing: boolean;
  /** Figures announced by the relay and not yet received: until when this instance waits for them. */
  awaitingRelay?: NodeJS.Timeout;
}

/**
 * Live metrics: subscribers of the same pipeline and range share a channel. Events of a
 * tick mark its pipelines' channels dirty; each dirty channel is computed once and the one
 * resulting object goes to every subscriber (so it is also executed once, see
 * shared-execution.ts). Computations of a channel run one at a time: a change or a new
 * subscriber during one causes exactly one more, so the last value sent always reflects
 * every committed change, and a thousand subscribers joining at once cost one computation.
 */
export class MetricsBroadcaster<R, M extends object> {
  private readonly channels = new Map<string, Channel<R, M>>();
  /** Computations so far; a test checks it does not grow with subscribers. */
  computations = 0;

  constructor(
    private readonly compute: MetricsCompute<R, M>,
    private readonly logger: Logger,
    private readonly relayed?: RelayedMetrics<M>,
  ) {}

  /** Pipelines (and ranges) with live subscribers. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** The pipelines (`pipelineKey`) with subscribers of the default range's metrics here. */
  defaultRangePipelines(): string[] {
    return [...this.channels.values()].filter((c) => c.range === undefined).map((c) => pipelineKey(c.workspaceId, c.pipelineId));
  }

  /** A stream that yields the current metrics at once, then after changes. */
  subscribe(viewer: Viewer, pipelineId: string, range: R | undefined): LatestValue<M> {
    const k = JSON.stringify([viewer.workspaceId, pipelineId, range ?? null]);
    let channel = this.channels.get(k);
    if (!channel) {
      channel = {
        workspaceId: viewer.workspaceId, pipelineId, range, viewer,
        subscribers: new Set(), joined: new Set(), generation: 0, dirty: false, computing: false,
      };
      this.channels.set(k, channel);
    }
    const stream: LatestValue<M> = new LatestValue(() => {
      channel!.subscribers.delete(stream);
      channel!.joined.delete(stream);
      if (channel!.subscribers.size > 0 || this.channels.get(k) !== channel) return;
      clearTimeout(channel!.awaitingRelay);
      this.channels.delete(k);
    });
    channel.subscribers.add(stream);
    channel.joined.add(stream);
    if (!channel.computing) void this.broadcast(channel);
    return stream;
  }

  /**
   * Marks the channels of the pipelines a tick touched and recomputes them. A channel of the
   * default range waits instead for the figures the relay announced on the tick's last event
   * of its pipeline (`relayedUpdate`), for a while.
   */
  changed(touched: TouchedPipeline[]): void {
    const wanted = new Map(touched.map((t) => [pipelineKey(t.workspaceId, t.pipelineId), t]));
    for (const channel of this.channels.values()) {
      const tick = wanted.get(pipelineKey(channel.workspaceId, channel.pipelineId));
      if (!tick) continue;
      if (channel.range === undefined && this.relayed?.follows(tick.work)) {
        clearTimeout(channel.awaitingRelay);
        channel.awaitingRelay = setTimeout(() => this.recompute(channel), RELAYED_WITHIN_MS);
        channel.awaitingRelay.unref();
        continue;
      }
      this.recompute(channel);
    }
  }

  /**
   * Figures the relay computed for a pipeline after a batch of its events (they reflect that
   * batch and every event before it); without them (it could not), this instance computes.
   */
  relayedUpdate(workspaceId: string, pipelineId: string, work: unknown): void {
    const value = this.relayed?.value(work);
    for (const channel of this.channels.values()) {
      if (channel.range !== undefined || channel.workspaceId !== workspaceId || channel.pipelineId !== pipelineId) continue;
      clearTimeout(channel.awaitingRelay);
      channel.awaitingRelay = undefined;
      if (!value) {
        this.recompute(channel);
        continue;
      }
      // Newer than any computation still running here, which therefore cannot replace it.
      const generation = ++channel.generation;
      channel.joined = new Set();
      for (const subscriber of [...channel.subscribers]) subscriber.offer(value, generation);
    }
  }

  private recompute(channel: Channel<R, M>): void {
    channel.dirty = true;
    if (!channel.computing) void this.broadcast(channel);
  }

  private async broadcast(channel: Channel<R, M>): Promise<void> {
    channel.computing = true;
    try {
      while ((channel.dirty || channel.joined.size > 0) && channel.subscribers.size > 0) {
        // After a change everyone gets the new figures; otherwise only those still waiting.
        const recipients = channel.dirty ? channel.subscribers : channel.joined;
        channel.dirty = false;
        channel.joined = new Set();
        const generation = ++channel.generation;
        const { value, error } = await this.run(channel, generation);
        if (value) {
          for (const subscriber of [...recipients]) subscriber.offer(value, generation);
        } else {
          // Those still without a first value get the failure; the others keep theirs, and
          // a retry follows so the last message still catches up with every change.
          for (const subscriber of [...recipients]) {
            if (!subscriber.received) subscriber.fail(error instanceof Error ? error : new Error(String(error)));
          }
          setTimeout(() => this.changed([{ workspaceId: channel.workspaceId, pipelineId: channel.pipelineId }]), RETRY_MS).unref();
        }
      }
    } finally {
      channel.computing = false;
    }
  }

  private async run(channel: Channel<R, M>, generation: number): Promise<{ value?: M; error?: unknown }> {
    this.computations++;
    try {
      return { value: await this.compute(channel.viewer, channel.pipelineId, channel.range) };
    } catch (error) {
      this.logger.warn({ err: error, pipelineId: channel.pipelineId, generation }, 'live metrics computation failed');
      return { error };
    }
  }
}
