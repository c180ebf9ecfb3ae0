import type { Queue } from 'bullmq';

/**
 * Relays a job's output (the entries its worker added with `log`) while the job runs: each `read` emits
 * what was added since the last one. Reads run one after the other, so every entry is emitted once and
 * in order.
 */
export class OutputRelay {
  #next = 0;
  #reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: Queue,
    private readonly jobId: string,
    private readonly emit: (text: string) => void,
  ) {}

  /** Emits the entries added since the last read; Redis unreachable: the next read tries again. */
  read(): Promise<void> {
    this.#reading = this.#reading.then(async () => {
      try {
        const { logs } = await this.queue.getJobLogs(this.jobId, this.#next, -1);
        this.#next += logs.length;
        if (logs.length > 0) this.emit(logs.join(''));
      } catch {
        // Unreachable now; what was missed comes with the next read.
      }
    });
    return this.#reading;
  }
}
