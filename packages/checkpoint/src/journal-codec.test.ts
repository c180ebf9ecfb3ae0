import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckpointUpdate } from './checkpoint.js';
import { decodeJournal, journalBase, journalHeader, journalRecord, journalRecordSize, type JournalEnd } from './journal-codec.js';

const base = 'a'.repeat(64);
const otherBase = 'b'.repeat(64);

function update(seq: number): CheckpointUpdate {
  return {
    timestamp: `2026-02-07T12:00:${String(seq % 60).padStart(2, '0')}Z`,
    completed: [`ws-${seq}`],
    attempts: { [`ws-${seq}`]: seq },
  };
}

/** A journal of `count` records on `base`, and the offset where each line ends. */
function journal(count: number, id = '0'.repeat(32)): { bytes: Buffer; ends: JournalEnd[] } {
  const header = journalHeader(base, id);
  const parts = [header.bytes];
  const ends = [header.end];
  for (let seq = 1; seq <= count; seq += 1) {
    const record = journalRecord(ends.at(-1)!, JSON.stringify(update(seq)));
    parts.push(record.bytes);
    ends.push(record.end);
  }
  return { bytes: Buffer.concat(parts), ends };
}

function updates(count: number): CheckpointUpdate[] {
  return Array.from({ length: count }, (_, index) => update(index + 1));
}

describe('the journal format', () => {
  it('is a header naming its base, then one "<json>\\t<sha256>" line per update, in sequence', () => {
    const { bytes, ends } = journal(2);
    const lines = bytes.toString().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^\\{"journal":2,"base":"${base}","id":"0{32}"\\}\\t[0-9a-f]{64}$`));
    expect(lines[1]).toMatch(
      /^\{"seq":1,"timestamp":"2026-02-07T12:00:01Z","completed":\["ws-1"\],"attempts":\{"ws-1":1\}\}\t[0-9a-f]{64}$/,
    );
    expect(lines[3]).toBe('');
    expect(ends.map((end) => end.seq)).toEqual([0, 1, 2]);
    expect(ends.at(-1)?.length).toBe(bytes.length);
    expect(journalRecordSize(ends[1]!, JSON.stringify(update(2)))).toBe(ends[2]!.length - ends[1]!.length);
    expect(journalBase(bytes)).toBe(base);
  });

  it('replays every record of a clean journal', () => {
    const { bytes, ends } = journal(5);
    expect(decodeJournal(bytes, base)).toEqual({ kind: 'ok', updates: updates(5), end: ends.at(-1) });
  });

  it('is foreign to another base, and when its header is all there is and incomplete', () => {
    const { bytes, ends } = journal(3);
    expect(decodeJournal(bytes, otherBase)).toEqual({ kind: 'foreign' });
    expect(decodeJournal(bytes.subarray(0, ends[0]!.length - 1), base)).toEqual({ kind: 'foreign' });
    expect(decodeJournal(Buffer.alloc(0), base)).toEqual({ kind: 'foreign' });
    expect(journalBase(bytes.subarray(0, 10))).toBeUndefined();
  });

  it('stops at a torn last line (any truncation): the records before it, and where to append', () => {
    const { bytes, ends } = journal(4);
    for (let length = ends[0]!.length; length <= bytes.length; length += 1) {
      const complete = ends.filter((end) => end.length <= length).at(-1)!;
      expect(decodeJournal(bytes.subarray(0, length), base)).toEqual({ kind: 'ok', updates: updates(complete.seq), end: complete });
    }
  });

  it('takes a bad last line ending in a newline (a torn write that persisted its end) for a torn one too', () => {
    const { bytes, ends } = journal(3);
    const torn = Buffer.from(bytes);
    torn.fill(0, ends[2]!.length + 5, ends[3]!.length - 70);
    expect(decodeJournal(torn, base)).toEqual({ kind: 'ok', updates: updates(2), end: ends[2] });
  });

  it('reports a bad line with more after it as damage, with every intact record: the damaged one alone is lost', () => {
    const { bytes, ends } = journal(4);
    const flipped = Buffer.from(bytes);
    flipped[ends[1]!.length + 20]! ^= 0x01;
    const [one, two, three, four] = updates(4);
    expect(decodeJournal(flipped, base)).toEqual({
      kind: 'damaged',
      updates: [one, three, four],
      lost: [2],
      reason: 'journal record 2: check mismatch',
    });
    expect(two).toBeDefined();

    const headerFlipped = Buffer.from(bytes);
    headerFlipped[3]! ^= 0x01;
    expect(decodeJournal(headerFlipped, base)).toEqual({
      kind: 'damaged',
      updates: [],
      lost: [],
      reason: 'journal header: check mismatch',
    });
  });

  it('loses at most the record a single flipped bit lands in, whichever byte of whichever record it is', () => {
    const { bytes, ends } = journal(4);
    const all = updates(4);
    // Records 1 to 3 (a bad last line is a torn write: see above), every byte, every bit.
    for (let index = ends[0]!.length; index < ends[3]!.length; index += 1) {
      const record = ends.findIndex((end) => end.length > index);
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = Buffer.from(bytes);
        flipped[index]! ^= 1 << bit;
        const decoded = decodeJournal(flipped, base);
        if (decoded.kind === 'foreign') throw new Error(`byte ${index} bit ${bit}: taken for another journal`);
        const expected = all.filter((_, at) => at !== record - 1);
        // Either the record survived (its check alone was hit, or its newline), or it alone is lost.
        expect([all, expected], `byte ${index} bit ${bit}`).toContainEqual(decoded.updates);
      }
    }
  });

  it('ties each record to its predecessor and its journal: reordered, repeated or transplanted records are damage', () => {
    const { bytes, ends } = journal(3);
    const line = (seq: number): Buffer => bytes.subarray(ends[seq - 1]!.length, ends[seq]!.length);
    const header = bytes.subarray(0, ends[0]!.length);
    // Out of place: record 2 where 1 belongs is passed over, then 1 follows on; 3 does not follow 1.
    const [one] = updates(3);
    expect(decodeJournal(Buffer.concat([header, line(2), line(1), line(3)]), base)).toMatchObject({
      kind: 'damaged',
      updates: [one],
      lost: [],
      reason: 'journal record 1: seq 2 where 1 was expected',
    });
    expect(decodeJournal(Buffer.concat([header, line(1), line(1), line(2)]), base)).toMatchObject({
      kind: 'damaged',
      updates: updates(2),
      lost: [],
      reason: 'journal record 2: seq 1 where 2 was expected',
    });
    // The same records under another journal's header (same base, another id) do not check.
    const other = journal(3, 'f'.repeat(32));
    expect(decodeJournal(Buffer.concat([other.bytes.subarray(0, other.ends[0]!.length), line(1), line(2)]), base)).toMatchObject({
      kind: 'damaged',
      updates: [],
    });
  });

  it('checks sequence numbers and what a record holds, even when its check passes', () => {
    const header = journalHeader(base, '0'.repeat(32));
    const records = (payloads: string[]): Buffer => {
      const parts = [header.bytes];
      let end = header.end;
      for (const payload of payloads) {
        const record = journalRecord(end, payload);
        parts.push(record.bytes);
        end = record.end;
      }
      return Buffer.concat([...parts, Buffer.from('more\n')]);
    };
    expect(decodeJournal(records(['{"timestamp":"2026-02-07T12:00:00Z","completed":[""]}']), base)).toEqual({
      kind: 'damaged',
      updates: [],
      lost: [1],
      reason: 'journal record 1: not a valid update ($.completed[0] must be a non-empty string, got "")',
    });
    // A "seq" inside the payload overrides the real one: out of sequence.
    expect(decodeJournal(records(['{"seq":7,"timestamp":"2026-02-07T12:00:00Z"}']), base)).toMatchObject({
      reason: 'journal record 1: seq 7 where 1 was expected',
    });
  });

  it('never replays a record out of order or one that is not in the journal, whatever bytes are flipped', () => {
    const { bytes } = journal(4);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (flips) => {
          const damaged = Buffer.from(bytes);
          for (const [index, mask] of flips) damaged[index]! ^= mask;
          const decoded = decodeJournal(damaged, base);
          const replayed = decoded.kind === 'foreign' ? [] : decoded.updates;
          // A subsequence of the records, in order.
          let at = 0;
          for (const update of replayed) {
            while (at < 4 && JSON.stringify(updates(4)[at]) !== JSON.stringify(update)) at += 1;
            expect(at, 'a replayed update that is no record of the journal, or out of order').toBeLessThan(4);
            at += 1;
          }
        },
      ),
    );
  });
});
