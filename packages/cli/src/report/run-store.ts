import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeValue, hasErrorCode } from '@sdp/internal';
import writeFileAtomic from 'write-file-atomic';
import type { StoredRunRecord, WorkstreamRecord } from './run-record.js';
import { CliError } from '../cli-error.js';

/** Records kept per feature unless told otherwise: the newest 20. */
export const DEFAULT_RUNS_KEPT = 20;

const runIdPattern = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/** A run id that sorts by time: `20261203T123538123Z-4f9a0c` (UTC start, then 24 random bits). */
export function newRunId(now: number, random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${random()}`;
}

const runRecordCodes = new Set(['CLI_RUN_NOT_FOUND', 'CLI_RUN_RECORD_INVALID']);

/** A run record that is not there or cannot be used. */
export class RunRecordError extends CliError {
  override readonly name = 'RunRecordError';
  declare readonly code: 'CLI_RUN_NOT_FOUND' | 'CLI_RUN_RECORD_INVALID';
  constructor(
    code: 'CLI_RUN_NOT_FOUND' | 'CLI_RUN_RECORD_INVALID',
    message: string,
    readonly path: string,
  ) {
    super(code, message);
  }
}

export function isRunRecordError(value: unknown): value is RunRecordError {
  return hasErrorCode(value, 'RunRecordError', runRecordCodes);
}

/**
 * The run records of one feature, one JSON file per run in `dir` (`.sdp/runs/<feature>/`). Each is
 * written atomically (temp file, fsync, rename, directory fsync): a crash leaves it whole or absent.
 * Only the newest `keep` are kept.
 */
export class RunStore {
  readonly dir: string;
  readonly keep: number;

  constructor(dir: string, keep: number = DEFAULT_RUNS_KEPT) {
    if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be an integer >= 1, got ${describeValue(keep)}`);
    this.dir = dir;
    this.keep = keep;
  }

  pathOf(runId: string): string {
    return join(this.dir, `${runId}.json`);
  }

  /** Writes the record, then removes the oldest beyond `keep`. Resolves to its path. */
  async write(record: StoredRunRecord): Promise<string> {
    if (!runIdPattern.test(record.runId))
      throw new RangeError(`runId must look like ${newRunId(0, () => '000000')}, got ${describeValue(record.runId)}`);
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(record.runId);
    await writeFileAtomic(path, `${JSON.stringify(record, null, 1)}\n`, { fsync: true });
    await fsyncDirectory(this.dir);
    await this.prune();
    return path;
  }

  /** Run ids, oldest first. Temp files and anything else in the folder are passed over. */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (hasErrorCode(error, undefined, new Set(['ENOENT']))) return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => runIdPattern.test(id))
      .sort();
  }

  /** Reads one record; `RunRecordError` when it is missing or not a record this version can read. */
  async read(runId: string): Promise<StoredRunRecord> {
    const path = this.pathOf(runId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (hasErrorCode(error, undefined, new Set(['ENOENT'])))
        throw new RunRecordError('CLI_RUN_NOT_FOUND', `no run record ${runId} in ${this.dir}`, path);
      throw error;
    }
    return parseRunRecord(text, path);
  }

  /** The newest record, or undefined when the feature has none. */
  async latest(): Promise<StoredRunRecord | undefined> {
    const ids = await this.list();
    const newest = ids.at(-1);
    return newest === undefined ? undefined : this.read(newest);
  }

  /** Removes the oldest records beyond `keep`; resolves to the removed ids. */
  async prune(): Promise<string[]> {
    const ids = await this.list();
    const removed = ids.slice(0, Math.max(0, ids.length - this.keep));
    // Another run of the feature may prune at the same moment: a record already gone is fine.
    for (const id of removed) await rm(this.pathOf(id), { force: true });
    return removed;
  }
}

/** Parses and checks a stored record: version 1 and the fields every reader relies on. */
export function parseRunRecord(text: string, path: string): StoredRunRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunRecordError('CLI_RUN_RECORD_INVALID', `run record ${path} is not valid JSON (${(error as Error).message})`, path);
  }
  const record = value as Partial<StoredRunRecord> | null;
  if (typeof record !== 'object' || record === null) throw invalid(path, 'not a JSON object');
  if (record.version !== 1) throw invalid(path, `version ${describeValue(record.version)} is not 1 (written by a newer sdp-dispatch?)`);
  if (typeof record.runId !== 'string' || typeof record.featureId !== 'string' || typeof record.outcome !== 'string')
    throw invalid(path, 'runId, featureId or outcome missing');
  if (typeof record.startedAt !== 'number' || typeof record.endedAt !== 'number') throw invalid(path, 'startedAt or endedAt missing');
  if (
    !Array.isArray(record.results) ||
    !record.results.every((result: Partial<WorkstreamRecord> | null) => Array.isArray(result?.attemptRecords))
  )
    throw invalid(path, 'results or their attemptRecords missing');
  if (typeof record.dependsOn !== 'object' || typeof record.graphFingerprint !== 'string')
    throw invalid(path, 'dependsOn or graphFingerprint missing');
  return record as StoredRunRecord;
}

function invalid(path: string, why: string): RunRecordError {
  return new RunRecordError('CLI_RUN_RECORD_INVALID', `run record ${path} cannot be read: ${why}`, path);
}

/** The rename into the folder survives a power cut only once the folder itself is synced. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
