import { createHash } from 'node:crypto';
import type { CheckpointUpdate } from './checkpoint.js';
import { isCheckpointValidationError } from './errors.js';
import { validateCheckpointUpdate } from './validate-checkpoint.js';

/**
 * Journal layout (`<checkpoint>.journal`): UTF-8 lines `<json>\t<check>\n`, one appended per update.
 *
 * - Line 1, the header: `{"journal":2,"base":"<digest>","id":"<32 hex>"}`. `base` names the checkpoint file the
 *   journal applies to (`digestOf` in `checkpoint-codec.ts`): once a compaction has replaced that file, the
 *   journal is stale. `id` is random, so two journals on the same base never share a record.
 * - Line n + 1, record n: `{"seq":n,<the update's fields>}`.
 * - `check` is the SHA-256 (hex) of the header's JSON for the header, and of the header's check, a tab and the
 *   line's JSON for a record: each record is tied to its journal (the check) and to its place (`seq`, which must
 *   follow on), but not to its neighbours, so a damaged record loses only itself.
 * - Format 1 (earlier writers) chained each record's check on the previous line's instead: still read, and
 *   there a damaged record ends the replay.
 *
 * JSON never holds a raw tab or newline, so both separators are unambiguous.
 */
const FORMAT = 2;
const NEWLINE = 0x0a;
const TAB = 0x09;
const CHECK_LENGTH = 64;
const TAIL_LENGTH = 1 + CHECK_LENGTH + 1;

/**
 * Where appending continues: the journal's length in bytes, its last record's `seq` (0: none), and the check the
 * next record is tied to (the header's).
 */
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
  const record = line(recordJson(end.seq + 1, payload), end.check, { length: end.length, seq: end.seq + 1 });
  return { bytes: record.bytes, end: { ...record.end, check: end.check } };
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

function parseHeader(json: string): { base: string; format: 1 | 2 } | undefined {
  const header = parseObject(json);
  const format = header?.['journal'];
  if ((format !== 1 && format !== FORMAT) || typeof header?.['base'] !== 'string' || typeof header['id'] !== 'string') return undefined;
  return { base: header['base'], format };
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
  /**
   * Damaged lines with good ones after them. `updates` are every intact record, in order: a damaged record loses
   * only itself (`lost`: the `seq` of each record that could not be read; a damaged header loses them all).
   */
  | {
      readonly kind: 'damaged';
      readonly updates: readonly CheckpointUpdate[];
      readonly lost: readonly number[];
      readonly reason: string;
    };

/** A record's line, split at its last tab: the JSON and the check it claims. */
interface RawLine {
  readonly json: Buffer;
  readonly claimed: string;
}

/**
 * The journal's lines after `start`. A line whose newline was damaged holds two records; it is split where the
 * first one's check ends and the next record begins.
 */
function rawLines(bytes: Buffer, start: number): { lines: RawLine[] } {
  const lines: RawLine[] = [];
  let position = start;
  while (position < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, position);
    if (newline === -1) break;
    let text = bytes.subarray(position, newline);
    for (;;) {
      const inner = /\t[0-9a-f]{64}[^\n](?=\{"seq":)/.exec(text.toString('latin1'));
      if (inner === null) break;
      const cut = inner.index + TAIL_LENGTH;
      lines.push(splitLine(text.subarray(0, cut - 1)));
      text = text.subarray(cut);
    }
    lines.push(splitLine(text));
    position = newline + 1;
  }
  return { lines };
}

function splitLine(text: Buffer): RawLine {
  // The separator carries no information: a damaged tab still leaves the JSON and the check where they are.
  const tab = text.length - CHECK_LENGTH - 1;
  if (tab <= 0) return { json: text, claimed: '' };
  return { json: text.subarray(0, tab), claimed: text.toString('latin1', tab + 1) };
}

/** A record's update and `seq`, or what is wrong with its JSON. */
function parseRecord(json: Buffer): { update: CheckpointUpdate; seq: number } | string {
  const record = parseObject(json.toString('utf8'));
  if (record === undefined) return 'not a JSON object';
  const { seq, ...update } = record;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return `seq ${seq === undefined ? 'missing' : JSON.stringify(seq)}`;
  try {
    return { update: validateCheckpointUpdate(update), seq };
  } catch (error) {
    if (isCheckpointValidationError(error)) return `not a valid update (${error.message})`;
    throw error;
  }
}

/**
 * Replays a journal's bytes. Each line's check chains on the one before, so a damaged line is passed over by
 * finding the next line that chains on it (on its claimed check when its JSON was damaged, on its recomputed one
 * when its check was): a damaged record loses only itself. A bad last line without its newline is the record
 * being written when the writer stopped, never resolved: not damage.
 */
export function decodeJournal(bytes: Buffer, base: string): DecodedJournal {
  const header = readLine(bytes, 0, undefined);
  if (!header.ok) {
    return header.next >= bytes.length
      ? { kind: 'foreign' }
      : { kind: 'damaged', updates: [], lost: [], reason: `journal header: ${header.problem}` };
  }
  const parsed = parseHeader(header.json);
  if (parsed === undefined) return { kind: 'damaged', updates: [], lost: [], reason: 'journal header: not a version 1 journal header' };
  if (parsed.base !== base) return { kind: 'foreign' };
  const { lines } = rawLines(bytes, header.next);
  const updates: CheckpointUpdate[] = [];
  const lost: number[] = [];
  const problems: string[] = [];
  let end: JournalEnd = { length: header.next, seq: 0, check: header.check };
  /** Damaged lines since the last intact one; `damaged`: some had an intact line after them. */
  let pending: string[] = [];
  let damaged = false;
  for (const line of lines) {
    const expected = end.seq + 1;
    const record = parseRecord(line.json);
    const checked = check(end.check, line.json) === line.claimed;
    // In sequence; after damage, the next intact record may come later (the damaged ones are lost). A format 1
    // record is chained on the line before, so none after a damaged one can check.
    const inSequence = typeof record !== 'string' && (pending.length === 0 ? record.seq === expected : record.seq >= expected);
    if (checked && inSequence) {
      for (let seq = expected; seq < record.seq; seq += 1) lost.push(seq);
      updates.push(record.update);
      if (pending.length > 0) {
        damaged = true;
        problems.push(...pending);
        pending = [];
      }
      const length = end.length + line.json.length + TAIL_LENGTH;
      end = { length, seq: record.seq, check: parsed.format === 1 ? line.claimed : header.check };
      continue;
    }
    const problem = !checked ? 'check mismatch' : typeof record === 'string' ? record : `seq ${record.seq} where ${expected} was expected`;
    pending.push(`journal record ${expected}: ${problem}`);
  }
  // One bad last line ends the journal as a torn write does: the update being written, never resolved. More
  // than one is damage: the records they held are lost.
  if (pending.length > 1) {
    damaged = true;
    problems.push(...pending.slice(0, -1));
    for (let seq = end.seq + 1; seq < end.seq + pending.length; seq += 1) lost.push(seq);
  }
  if (!damaged) return { kind: 'ok', updates, end };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more damaged line${problems.length === 2 ? '' : 's'})` : '';
  return { kind: 'damaged', updates, lost, reason: `${problems[0] ?? 'damaged'}${more}` };
}
