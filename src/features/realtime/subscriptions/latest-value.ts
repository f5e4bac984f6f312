import { LiveSource } from '../ws/live-source';

/**
 * A live source that holds only the newest value: a subscriber that reads slowly skips to
 * the latest instead of queueing, so its memory is one value whatever the rate.
 * `generation` orders values computed concurrently: an older one never replaces a newer one.
 */
export class LatestValue<T> extends LiveSource<T> {
  readonly skips = true;
  private pending?: T;
  private generation = -1;

  constructor(private readonly onEnd: () => void) {
    super();
  }

  offer(value: T, generation: number): void {
    if (this.ended || generation <= this.generation) return;
    this.generation = generation;
    this.pending = value;
    this.consumer?.wake();
  }

  /** Whether a value was ever offered. */
  get received(): boolean {
    return this.generation >= 0;
  }

  /** Ends the stream with an error: the subscriber gets it as an `error` message. */
  fail(error: Error): void {
    if (this.ended) return;
    this.pending = undefined;
    this.end(error);
    this.onEnd();
  }

  peek(): T | undefined {
    return this.pending;
  }

  peekAhead(): T | undefined {
    return undefined;
  }

  shift(): void {
    this.pending = undefined;
  }

  close(): void {
    if (this.ended) return;
    this.pending = undefined;
    this.end();
    this.onEnd();
  }
}
