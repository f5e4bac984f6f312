/** Whoever takes a live source's values: told when there is something to take. */
export interface LiveConsumer {
  wake(): void;
}

/**
 * What a subscription's stream (`dealEvents`, `pipelineMetricsUpdated`) offers its one
 * consumer (shared-execution.ts): values are taken synchronously, in order, and the source
 * calls `wake()` when more arrive or when it ends. A delivery therefore costs no promise,
 * no closure and no allocation per value and subscriber, which an async iterator would.
 */
export abstract class LiveSource<T> implements AsyncIterable<T> {
  protected consumer?: LiveConsumer;
  /** Set once the stream has ended: `true`, or the error it failed with. */
  ended?: true | Error;
  /** Whether a newer value may replace one not yet taken (live metrics), unlike events. */
  abstract readonly skips: boolean;

  /** Starts delivery to `consumer`; values that arrived before are waiting for it. */
  attach(consumer: LiveConsumer): void {
    this.consumer = consumer;
    consumer.wake();
  }

  /** The next value, or undefined when none is ready now. */
  abstract peek(): T | undefined;
  /** The value `offset` places after the next one, when it is already there (read ahead). */
  abstract peekAhead(offset: number): T | undefined;
  /** Drops the value `peek` returned. */
  abstract shift(): void;
  /** Ends the stream (its subscriber went away) and lets go of what it holds. */
  abstract close(): void;

  /**
   * graphql-js accepts only async iterables from a subscription's resolver; a live source is
   * read through `attach`, by one consumer.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    throw new Error('A live source is read through attach(), not iterated');
  }

  protected end(failure?: Error): void {
    if (this.ended) return;
    this.ended = failure ?? true;
    this.consumer?.wake();
  }
}

export function isLiveSource(value: unknown): value is LiveSource<unknown> {
  return value instanceof LiveSource;
}
