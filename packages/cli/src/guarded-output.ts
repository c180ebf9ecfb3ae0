import type { Output } from './reporter.js';

/**
 * stdout or stderr of the CLI that never kills a run: the first error writing it (EPIPE from a reader
 * that went away, EFBIG past `ulimit -f`, ENOSPC, EIO from a closed terminal) turns it into a sink, and
 * `onLost` listeners hear about it once (the run notes it in the workstream logs).
 */
export class GuardedOutput implements Output {
  #lost: Error | undefined;
  readonly #listeners: ((error: Error) => void)[] = [];

  constructor(
    private readonly stream: NodeJS.WriteStream,
    readonly name: 'stdout' | 'stderr',
  ) {
    // Asynchronous errors (a pipe, a terminal, a file through SyncWriteStream) arrive as events.
    stream.on('error', (error: Error) => {
      this.#lose(error);
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY;
  }

  /** The terminal's width (undefined at run time when not a terminal). */
  get columns(): number {
    return this.stream.columns;
  }

  /** The error that ended this output, if any. */
  get lost(): Error | undefined {
    return this.#lost;
  }

  write(text: string): boolean {
    if (this.#lost !== undefined || this.stream.destroyed) return false;
    try {
      return this.stream.write(text);
    } catch (error) {
      this.#lose(error as Error);
      return false;
    }
  }

  onLost(listener: (error: Error) => void): void {
    if (this.#lost !== undefined) listener(this.#lost);
    else this.#listeners.push(listener);
  }

  #lose(error: Error): void {
    if (this.#lost !== undefined) return;
    this.#lost = error;
    for (const listener of this.#listeners.splice(0)) {
      try {
        listener(error);
      } catch {
        // A listener cannot bring the output error back.
      }
    }
  }
}
