import { createHash } from 'node:crypto';
import type { CheckpointUpdate } from './checkpoint.js';
import { isCheckpointValidationError } from './errors.js';
import { validateCheckpointUpdate } from './validate-checkpoint.js';

/**
 * Journal layout (`<checkpoint>.journal`): UTF-8 lines `<json>\t<check>\n`, one appended per update.
 *
 * - Line 1, the header: `{"journal":1,"base":"<digest>","id":"<32 hex>"}`. `base` names the checkpoint file the
 *   journal applies to (`digestOf` in `checkpoint-codec.ts`): once a compaction has replaced that file, the
 *   journal is stale. `id` is random, so two journals on the same base never share a record.
 * - Line n + 1, record n: `{"seq":n,<the update's fields>}`.
 * - `check` is the SHA-256 (hex) of the header's JSON for the header, and of the previous line's check, a tab and
 *   the line's JSON for a record: each record is tied to its predecessor, and through the chain to its journal.
 *
 * JSON never holds a raw tab or newline, so both separators are unambiguous.
 */
const FORMAT = 1;
const NEWLINE = 0x0a;
const TAB = 0x09;
const CHECK_LENGTH = 64;
const TAIL_LENGTH = 1 + CHECK_LENGTH + 1;

/** Where appending continues: the journal's length in bytes, its last record's `seq` (0: none), its last line's check. */
export interface JournalEnd {
  readonly length: number;
  readonly seq: number;
  readonly check: string;
}

/** A line to append, and where the journal ends after it. */
export interface JournalLine {
  readonly bytes: Buffer;
  readonly end: JournalEnd;
}

function check(previous: string | undefined, json: Uint8Array | string): string {
  const hash = createHash('sha256');
  if (previous !== undefined) hash.update(`${previous}\t`);
  return hash.update(json).digest('hex');
}

function line(json: string, previous: string | undefined, end: Omit<JournalEnd, 'check'>): JournalLine {
  const digest = check(previous, json);
  const bytes = Buffer.from(`${json}\t${digest}\n`, 'utf8');
  return { bytes, end: { length: end.length + bytes.length, seq: end.seq, check: digest } };
}

/** The first line of a new journal on the checkpoint file whose digest is `base`. */
export function journalHeader(base: string, id: string): JournalLine {
  return line(JSON.stringify({ journal: FORMAT, base, id }), undefined, { length: 0, seq: 0 });
}

/** `payload`: the JSON of a valid update, as `JSON.stringify` renders it (`{"timestamp":...}`). */
function recordJson(seq: number, payload: string): string {
  return `{"seq":${seq},${payload.slice(1)}`;
}

/** The record of the update whose JSON is `payload`, to append after `end`. */
export function journalRecord(end: JournalEnd, payload: string): JournalLine {
  return line(recordJson(end.seq + 1, payload), end.check, { length: end.length, seq: end.seq + 1 });
}

/** The bytes {@link journalRecord} makes for `payload` after `end`, without making them. */
export function journalRecordSize(end: JournalEnd, payload: string): number {
  return Buffer.byteLength(recordJson(end.seq + 1, payload)) + TAIL_LENGTH;
}

type LineRead =
  | { readonly ok: true; readonly json: string; readonly check: string; readonly next: number }
  | { readonly ok: false; readonly problem: string; readonly next: number };

function readLine(bytes: Buffer, start: number, previous: string | undefined): LineRead {
  const newline = bytes.indexOf(NEWLINE, start);
  if (newline === -1) return { ok: false, problem: 'incomplete line', next: bytes.length };
  const next = newline + 1;
  const tab = newline - CHECK_LENGTH - 1;
  if (tab <= start || bytes[tab] !== TAB) return { ok: false, problem: 'not "<json>\\t<sha256>"', next };
  const claimed = bytes.toString('latin1', tab + 1, newline);
  if (check(previous, bytes.subarray(start, tab)) !== claimed) return { ok: false, problem: 'check mismatch', next };
  return { ok: true, json: bytes.toString('utf8', start, tab), check: claimed, next };
}

function parseObject(json: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseHeader(json: string): { base: string } | undefined {
  const header = parseObject(json);
  if (header?.['journal'] !== FORMAT || typeof header['base'] !== 'string' || typeof header['id'] !== 'string') return undefined;
  return { base: header['base'] };
}

/** Record `seq`, the line at `start` after the line whose check is `previous`; or what is wrong with it. */
function readRecord(
  bytes: Buffer,
  start: number,
  previous: string,
  seq: number,
): { readonly update: CheckpointUpdate; readonly end: JournalEnd } | { readonly problem: string; readonly next: number } {
  const read = readLine(bytes, start, previous);
  if (!read.ok) return read;
  const { next } = read;
  const record = parseObject(read.json);
  if (record === undefined) return { problem: 'not a JSON object', next };
  const { seq: found, ...update } = record;
  if (found !== seq) return { problem: `seq ${found === undefined ? 'missing' : JSON.stringify(found)} where ${seq} was expected`, next };
  try {
    return { update: validateCheckpointUpdate(update), end: { length: next, seq, check: read.check } };
  } catch (error) {
    if (isCheckpointValidationError(error)) return { problem: `not a valid update (${error.message})`, next };
    throw error;
  }
}

/** The `base` named by the journal's header, if it has a complete one. */
export function journalBase(bytes: Buffer): string | undefined {
  const header = readLine(bytes, 0, undefined);
  return header.ok ? parseHeader(header.json)?.base : undefined;
}

/** What a journal holds for the checkpoint file whose digest is `base`. */
export type DecodedJournal =
  /** Not this checkpoint's: it names another base, or has no complete header (its creation was interrupted). */
  | { readonly kind: 'foreign' }
  /**
   * Its updates in order, and where appending continues. `end.length` short of the file's size means a torn
   * last line follows: the update being written when the writer stopped, never resolved.
   */
  | { readonly kind: 'ok'; readonly updates: readonly CheckpointUpdate[]; readonly end: JournalEnd }
  /** A bad line with more after it: real damage. `updates` are the good ones before it. */
  | { readonly kind: 'damaged'; readonly updates: readonly CheckpointUpdate[]; readonly reason: string };

/**
 * Replays a journal's bytes: the first line that is torn, fails its check or is out of sequence ends the
 * replay. When that line is the last one, it is the record being written when the writer stopped; otherwise
 * the journal is damaged.
 */
export function decodeJournal(bytes: Buffer, base: string): DecodedJournal {
  const header = readLine(bytes, 0, undefined);
  if (!header.ok) {
    return header.next >= bytes.length ? { kind: 'foreign' } : { kind: 'damaged', updates: [], reason: `journal header: ${header.problem}` };
  }
  const parsed = parseHeader(header.json);
  if (parsed === undefined) return { kind: 'damaged', updates: [], reason: 'journal header: not a version 1 journal header' };
  if (parsed.base !== base) return { kind: 'foreign' };
  const updates: CheckpointUpdate[] = [];
  let end: JournalEnd = { length: header.next, seq: 0, check: header.check };
  while (end.length < bytes.length) {
    const record = readRecord(bytes, end.length, end.check, end.seq + 1);
    if ('problem' in record) {
      if (record.next >= bytes.length) break;
      return { kind: 'damaged', updates, reason: `journal record ${end.seq + 1}: ${record.problem}` };
    }
    updates.push(record.update);
    end = record.end;
  }
  return { kind: 'ok', updates, end };
}
