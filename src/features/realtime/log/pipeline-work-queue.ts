import type { Logger } from 'pino';
import type { PipelineWork } from './event-relay';
import { pipelineKey } from './subscriber-registry';

/**
 * The relay's work on the pipelines a batch touched (their live metrics), run beside the log
 * reads rather than between them: a metrics query takes 100–400 ms on a busy database, and
 * while the relay waited for it before reading on, events committed meanwhile waited too.
 * A pipeline's work runs one at a time: a batch that touches it meanwhile asks for one more
 * run once the current one ends (which then reflects both batches), however many batches came.
 * Every result is published, a superseded one too: under a steady stream of batches each
 * result is superseded before it is ready, and the newest figures beat none.
 */
export class PipelineWorkQueue {
  /** Pipelines whose work runs now, with the work asked for since it started (if any). */
  private readonly running = new Map<string, PipelineWork | undefined>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly publish: (work: PipelineWork, result: unknown) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Starts each pipeline's work now, or once its run in progress ends. */
  add(works: readonly PipelineWork[]): void {
    for (const work of works) {
      const key = pipelineKey(work.workspaceId, work.pipelineId);
      if (this.running.has(key)) {
        this.running.set(key, work);
        continue;
      }
      this.running.set(key, undefined);
      const run = this.run(key, work).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  /** Resolves once no work runs (the relay stopping). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async run(key: string, first: PipelineWork): Promise<void> {
    let work: PipelineWork | undefined = first;
    while (work) {
      try {
        await this.publish(work, await work.work());
      } catch (err) {
        // The instances compute the figures themselves when the relay's do not come.
        this.logger.warn({ err }, 'publishing a pipeline\'s live metrics failed');
      }
      work = this.running.get(key);
      if (work) this.running.set(key, undefined);
      else this.running.delete(key);
    }
  }
}
