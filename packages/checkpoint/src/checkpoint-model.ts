import type { AttemptHandleJson, Checkpoint, CheckpointUpdate, GraphNodeJson } from './checkpoint.js';

type JsonRecord = Record<string, unknown>;

// An own "__proto__" key (JSON.parse makes one) must stay a key: plain assignment would set the prototype.
function setOwn(record: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

const PROGRESS_RECORDS = ['skipped', 'attempts', 'durations_ms'] as const;

/**
 * A checkpoint as updates apply to it: O(1) per changed id, through sets of the completed and failed ids and
 * an index of the graph's nodes. It changes its checkpoint object in place.
 */
export class CheckpointModel {
  readonly #checkpoint: Checkpoint;
  readonly #completed: Set<string>;
  readonly #failed: Set<string>;
  readonly #nodes = new Map<string, GraphNodeJson>();

  /** Takes `checkpoint` (a valid one) over. */
  constructor(checkpoint: Checkpoint) {
    this.#checkpoint = checkpoint;
    this.#completed = new Set(checkpoint.completed);
    this.#failed = new Set(checkpoint.failed);
    for (const node of checkpoint.graph?.nodes ?? []) this.#nodes.set(node.id, node);
  }

  /** The checkpoint, with every update applied so far. */
  get current(): Checkpoint {
    return this.#checkpoint;
  }

  /**
   * Applies a valid `update` (see `CheckpointUpdate` for what each field does). Its values are copied, not
   * shared: the store keeps its updates to apply them again at the next compaction.
   */
  apply(update: CheckpointUpdate): void {
    const checkpoint = this.#checkpoint;
    checkpoint.timestamp = update.timestamp;
    for (const id of update.completed ?? []) this.#complete(id);
    for (const id of update.failed ?? []) {
      if (this.#failed.has(id) || this.#completed.has(id)) continue;
      this.#failed.add(id);
      checkpoint.failed.push(id);
    }
    if (update.running !== undefined) checkpoint.running = [...update.running];
    for (const key of PROGRESS_RECORDS) {
      const entries = update[key];
      if (entries === undefined) continue;
      const target: JsonRecord = (checkpoint[key] ??= {});
      for (const [id, value] of Object.entries(entries)) setOwn(target, id, value);
    }
    if (update.circuit_breaker !== undefined) checkpoint.circuit_breaker = structuredClone(update.circuit_breaker);
    if (update.attempt_handles !== undefined) this.#setHandles(update.attempt_handles);
  }

  #setHandles(handles: NonNullable<CheckpointUpdate['attempt_handles']>): void {
    const target = new Map(Object.entries(this.#checkpoint.attempt_handles ?? {}));
    for (const [id, handle] of Object.entries(handles)) {
      if (handle === null) target.delete(id);
      else target.set(id, { ...handle });
    }
    if (target.size === 0) delete this.#checkpoint.attempt_handles;
    else {
      const record: JsonRecord = {};
      for (const [id, handle] of target) setOwn(record, id, handle);
      this.#checkpoint.attempt_handles = record as Record<string, AttemptHandleJson>;
    }
  }

  #complete(id: string): void {
    if (!this.#completed.has(id)) {
      this.#completed.add(id);
      this.#checkpoint.completed.push(id);
    }
    if (this.#failed.delete(id)) this.#checkpoint.failed = this.#checkpoint.failed.filter((failed) => failed !== id);
    const node = this.#nodes.get(id);
    const edges = this.#checkpoint.graph?.edges;
    if (node === undefined || node.completed || edges === undefined) return;
    node.completed = true;
    for (const dependent of Object.hasOwn(edges, id) ? (edges[id] ?? []) : []) {
      const target = this.#nodes.get(dependent);
      // Indegrees that were already off (a hand-edited graph) stay non-negative, so the checkpoint stays valid.
      if (target !== undefined && target.indegree > 0) target.indegree -= 1;
    }
  }
}
