/**
 * An async iterator that holds only the newest value: a subscriber that reads slowly skips
 * to the latest instead of queueing, so its memory is one value whatever the rate.
 * `generation` orders values computed concurrently: an older one never replaces a newer one.
 */
export class LatestValue<T> implements AsyncIterableIterator<T> {
  private pending?: T;
  private has = false;
  private generation = -1;
  private waiter?: (result: IteratorResult<T>) => void;
  private rejecter?: (error: Error) => void;
  private failure?: Error;
  private done = false;

  constructor(private readonly onEnd: () => void) {}

  [Symbol.asyncIterator]() {
    return this;
  }

  offer(value: T, generation: number): void {
    if (this.done || generation <= this.generation) return;
    this.generation = generation;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ done: false, value });
      return;
    }
    this.pending = value;
    this.has = true;
  }

  /** Whether a value was ever offered. */
  get received(): boolean {
    return this.generation >= 0;
  }

  /** Ends the stream with an error: the subscriber gets it as an `error` message. */
  fail(error: Error): void {
    if (this.done) return;
    const reject = this.rejecter;
    if (this.waiter && reject) {
      this.waiter = undefined;
      this.rejecter = undefined;
      this.end();
      reject(error);
      return;
    }
    this.failure = error;
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.failure) {
      const failure = this.failure;
      this.end();
      throw failure;
    }
    if (this.done) return { done: true, value: undefined };
    if (this.has) {
      const value = this.pending!;
      this.pending = undefined;
      this.has = false;
      return { done: false, value };
    }
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.rejecter = reject;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.end();
    throw error;
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.pending = undefined;
    this.waiter?.({ done: true, value: undefined });
    this.waiter = undefined;
    this.onEnd();
  }
}
