/** Runs operations one after another, in call order: each starts when the previous one settled. */
export class OperationQueue {
  #tail: Promise<void> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation);
    // Neither a failure nor the value (a large checkpoint, say) carries over to the next operation.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
