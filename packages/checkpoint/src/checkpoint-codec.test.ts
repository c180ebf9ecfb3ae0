import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { decodeCheckpoint, digestOf, encodeCheckpoint } from './checkpoint-codec.js';
import { sampleCheckpoint } from './test-support.js';

const small: Checkpoint = {
  version: '1.0',
  feature_id: 'F052',
  timestamp: '2026-02-07T12:34:56.000Z',
  completed: ['00-052-01', '00-052-02'],
  failed: ['00-052-03'],
  graph: {
    nodes: [{ id: '00-052-04', depends_on: ['00-052-01'], indegree: 0, completed: false }],
    edges: { '00-052-01': ['00-052-04'] },
  },
  circuit_breaker: {
    state: 0,
    failure_count: 1,
    success_count: 0,
    consecutive_opens: 0,
    last_failure_time: '2026-02-07T12:34:00Z',
  },
};

/** A file with a valid trailer around arbitrary JSON text, as a newer writer of this format would make. */
function signed(json: string): Buffer {
  const body = Buffer.from(json.slice(0, -1));
  const digest = createHash('sha256').update(body).digest('hex');
  return Buffer.concat([body, Buffer.from(`,"checksum":"sha256:${digest}"}`)]);
}

const id = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });
const json = fc.jsonValue({ maxDepth: 2 });
const checkpointArbitrary: fc.Arbitrary<Checkpoint> = fc.record({
  version: fc.constant('1.0' as const),
  feature_id: id,
  timestamp: fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true }).map((date) => date.toISOString()),
  completed: fc.array(id, { maxLength: 5 }),
  failed: fc.array(id, { maxLength: 5 }),
  graph: fc.option(
    fc.record({
      nodes: fc.array(fc.record({ id, depends_on: fc.array(id, { maxLength: 3 }), indegree: fc.nat(3), completed: fc.boolean() }), {
        maxLength: 4,
      }),
      edges: fc.dictionary(id, fc.array(id, { maxLength: 3 }), { maxKeys: 4 }),
    }),
    { nil: null },
  ),
  circuit_breaker: fc.option(
    fc.record({
      state: fc.constantFrom(0 as const, 1 as const, 2 as const),
      failure_count: fc.nat(),
      success_count: fc.nat(),
      consecutive_opens: fc.nat(),
      last_failure_time: fc.constantFrom('0001-01-01T00:00:00Z', '2026-02-07T12:34:00.123456789Z'),
      window: fc.array(fc.constantFrom(0, 1), { maxLength: 5 }),
    }),
    { nil: null },
  ),
  skipped: fc.dictionary(id, id, { maxKeys: 3 }),
  attempts: fc.dictionary(id, fc.nat(), { maxKeys: 3 }),
  notes: json,
});

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips any checkpoint, unknown keys included', () => {
    fc.assert(
      fc.property(checkpointArbitrary, (checkpoint) => {
        // JSON has no -0; everything else must come back exactly.
        const expected = JSON.parse(JSON.stringify(checkpoint)) as unknown;
        const bytes = encodeCheckpoint(checkpoint);
        expect(decodeCheckpoint(bytes)).toEqual({ kind: 'ok', checkpoint: expected, digest: digestOf(bytes) });
      }),
    );
  });

  it('round-trips text that is not plain ASCII, lone surrogates included', () => {
    const checkpoint: Checkpoint = { ...small, completed: ['\ud800', 'é', '😀', '\u2028', '"\\'], note: '\udfff\u0000' };
    const bytes = encodeCheckpoint(checkpoint);
    expect(decodeCheckpoint(bytes)).toEqual({ kind: 'ok', checkpoint, digest: digestOf(bytes) });
  });

  it('writes JSON with the seed keys that any JSON reader (Go) loads, plus writer and checksum', () => {
    const parsed = JSON.parse(encodeCheckpoint(small).toString()) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'version',
      'feature_id',
      'timestamp',
      'completed',
      'failed',
      'graph',
      'circuit_breaker',
      'writer',
      'checksum',
    ]);
    expect(parsed['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('detects every single-bit flip at every offset', () => {
    const bytes = encodeCheckpoint(small);
    for (let offset = 0; offset < bytes.length; offset += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = Buffer.from(bytes);
        flipped[offset]! ^= 1 << bit;
        const decoded = decodeCheckpoint(flipped);
        if (decoded.kind !== 'damaged') expect.fail(`flip of bit ${bit} at ${offset} read as ${decoded.kind}`);
      }
    }
  });

  it('detects truncation at every length', () => {
    const bytes = encodeCheckpoint(small);
    for (let length = 0; length < bytes.length; length += 1) {
      expect(decodeCheckpoint(bytes.subarray(0, length)).kind).toBe('damaged');
    }
  });

  it('detects random alterations of a realistic checkpoint', () => {
    const bytes = encodeCheckpoint(sampleCheckpoint(40));
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (offset, xor) => {
        const altered = Buffer.from(bytes);
        altered[offset]! ^= xor;
        expect(decodeCheckpoint(altered).kind).toBe('damaged');
      }),
    );
  });

  it('reports any bytes that are not a checkpoint as damaged, never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeCheckpoint(Buffer.from(bytes)).kind).toBe('damaged');
      }),
    );
    expect(decodeCheckpoint(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ kind: 'damaged', reason: 'not valid UTF-8' });
    expect(decodeCheckpoint(Buffer.from('[1]'))).toEqual({ kind: 'damaged', reason: 'not a JSON object' });
    expect(decodeCheckpoint(Buffer.from(''))).toMatchObject({
      kind: 'damaged',
      reason: expect.stringMatching(/^not valid JSON/) as string,
    });
  });

  it('accepts a checksum-less file (as the seed Go implementation writes) after validating its structure', () => {
    const goWritten = JSON.stringify(small, null, 2);
    expect(decodeCheckpoint(Buffer.from(goWritten))).toEqual({ kind: 'ok', checkpoint: small, digest: digestOf(Buffer.from(goWritten)) });
    const invalid = JSON.stringify({ ...small, completed: [1] });
    expect(decodeCheckpoint(Buffer.from(invalid))).toEqual({
      kind: 'damaged',
      reason: '$.completed[0] must be a non-empty string, got 1',
    });
  });

  it('treats a file with our writer key but no valid trailer as damaged, not as a Go file', () => {
    const withWriter = JSON.stringify({ ...small, writer: '@sdp/checkpoint' });
    expect(decodeCheckpoint(Buffer.from(withWriter))).toEqual({ kind: 'damaged', reason: 'its checksum is missing or malformed' });
    const badChecksum = JSON.stringify({ ...small, checksum: 'md5:abc' });
    expect(decodeCheckpoint(Buffer.from(badChecksum)).kind).toBe('damaged');
  });

  it('reports any version but "1.0" (and Go\'s empty one) as unsupported, signed or not', () => {
    expect(decodeCheckpoint(signed(JSON.stringify({ ...small, version: '2.0', shape: 'new' })))).toEqual({
      kind: 'unsupported-version',
      version: '2.0',
    });
    expect(decodeCheckpoint(Buffer.from(JSON.stringify({ version: '1.1' })))).toEqual({
      kind: 'unsupported-version',
      version: '1.1',
    });
    for (const version of ['0.9', '2', 'v2', '2.0.0', '1', ' 1.0']) {
      expect(decodeCheckpoint(Buffer.from(JSON.stringify({ ...small, version })))).toEqual({ kind: 'unsupported-version', version });
    }
    expect(decodeCheckpoint(Buffer.from(JSON.stringify({ ...small, version: 2 })))).toEqual({ kind: 'unsupported-version', version: '2' });
    for (const version of ['', undefined]) {
      expect(decodeCheckpoint(Buffer.from(JSON.stringify({ ...small, version })))).toMatchObject({
        kind: 'ok',
        checkpoint: { version: '1.0' },
      });
    }
  });

  it('validates what it encodes and takes the bytes at call time', () => {
    expect(() => encodeCheckpoint({ ...small, completed: [''] })).toThrow('$.completed[0] must be a non-empty string, got ""');
    const checkpoint = structuredClone(small);
    const bytes = encodeCheckpoint(checkpoint);
    checkpoint.completed.push('later');
    expect(decodeCheckpoint(bytes)).toEqual({ kind: 'ok', checkpoint: small, digest: digestOf(bytes) });
  });
});

describe('digestOf', () => {
  const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

  it('is the trailer checksum of our files (no hashing) and the SHA-256 of a whole Go file', () => {
    const bytes = encodeCheckpoint(small);
    expect(digestOf(bytes)).toBe(/"checksum":"sha256:([0-9a-f]{64})"\}$/.exec(bytes.toString())?.[1]);
    expect(digestOf(bytes)).toBe(sha256(bytes.subarray(0, bytes.lastIndexOf(',"checksum"'))));
    const goWritten = Buffer.from(JSON.stringify(small, null, 2));
    expect(digestOf(goWritten)).toBe(sha256(goWritten));
  });

  it('tells any two different checkpoints apart, and names equal content alike', () => {
    expect(digestOf(encodeCheckpoint({ ...small, timestamp: '2026-02-07T12:34:57.000Z' }))).not.toBe(digestOf(encodeCheckpoint(small)));
    expect(digestOf(encodeCheckpoint(structuredClone(small)))).toBe(digestOf(encodeCheckpoint(small)));
  });
});
