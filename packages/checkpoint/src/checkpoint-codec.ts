import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.js';
import { isCheckpointValidationError } from './errors.js';
import { validateCheckpoint, validateCheckpointToSave } from './validate-checkpoint.js';

/**
 * File layout: the checkpoint as compact JSON with a `writer` key added, and as its last key
 * `"checksum":"sha256:<hex>"`, the SHA-256 of every byte before `,"checksum"`. Any change to those bytes,
 * and any truncation, fails the check; Go and other JSON readers just see two extra keys.
 *
 * Two markers, because one bit flip may break one of them: a file whose trailer is damaged still has the
 * `writer` key (covered by the checksum), so it is never mistaken for a checksum-less Go-written file.
 */
export const WRITER = '@sdp/checkpoint';

const TRAILER_START = ',"checksum":"sha256:';
const DIGEST_LENGTH = 64;
const TRAILER_LENGTH = TRAILER_START.length + DIGEST_LENGTH + '"}'.length;
const TRAILER = /^,"checksum":"sha256:([0-9a-f]{64})"\}$/;

/** What a checkpoint file holds. */
export type DecodedCheckpoint =
  | {
      readonly kind: 'ok';
      readonly checkpoint: Checkpoint;
      /** Names this very content, for the journal tied to it: see {@link digestOf}. */
      readonly digest: string;
    }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'unsupported-version'; readonly version: string };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Validates `checkpoint` (throws `CheckpointValidationError`) and renders the file's bytes. The bytes
 * are taken at call time, so later changes to the object do not leak into a queued save.
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Buffer {
  const valid = validateCheckpointToSave(checkpoint);
  const text = JSON.stringify(Object.fromEntries([...Object.entries(valid), ['writer', WRITER]]));
  const body = Buffer.from(text.slice(0, -1), 'utf8');
  return Buffer.concat([body, Buffer.from(`${TRAILER_START}${sha256(body)}"}`, 'latin1')]);
}

/** The SHA-256 a file's trailer claims, if it has one. */
function trailerOf(bytes: Buffer): string | undefined {
  if (bytes.length < TRAILER_LENGTH) return undefined;
  return TRAILER.exec(bytes.toString('latin1', bytes.length - TRAILER_LENGTH))?.[1];
}

function checksumOf(bytes: Buffer): 'match' | 'mismatch' | 'absent' {
  const trailer = trailerOf(bytes);
  if (trailer === undefined) return 'absent';
  return sha256(bytes.subarray(0, bytes.length - TRAILER_LENGTH)) === trailer ? 'match' : 'mismatch';
}

/**
 * A SHA-256 that names a checkpoint file's content: its trailer's checksum (which covers every byte before
 * it), or for a file without one (Go's) the hash of the whole file. Cheap for a file this package wrote.
 */
export function digestOf(bytes: Buffer): string {
  return trailerOf(bytes) ?? sha256(bytes);
}

/**
 * The version of a file this package does not read, as text; `undefined` for "1.0" and for Go's empty version
 * (`""` or none, which its `Save` writes for any checkpoint its `CreateCheckpoint` did not build).
 */
function unsupportedVersion(version: unknown): string | undefined {
  if (version === CHECKPOINT_VERSION || version === '' || version === undefined) return undefined;
  return typeof version === 'string' ? version : JSON.stringify(version);
}

/**
 * Reads a checkpoint file's bytes. Files without our trailer and `writer` key (written by the seed's Go
 * implementation) are accepted after structural validation alone.
 */
export function decodeCheckpoint(bytes: Buffer): DecodedCheckpoint {
  const checksum = checksumOf(bytes);
  if (checksum === 'mismatch') return { kind: 'damaged', reason: 'checksum mismatch: the file was altered or truncated' };
  if (!isUtf8(bytes)) return { kind: 'damaged', reason: 'not valid UTF-8' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { kind: 'damaged', reason: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'damaged', reason: 'not a JSON object' };
  }
  const record = parsed as Record<string, unknown>;
  if (checksum === 'absent' && ('writer' in record || 'checksum' in record)) {
    return { kind: 'damaged', reason: 'its checksum is missing or malformed' };
  }
  const version = unsupportedVersion(record['version']);
  if (version !== undefined) return { kind: 'unsupported-version', version };
  delete record['writer'];
  delete record['checksum'];
  try {
    return { kind: 'ok', checkpoint: validateCheckpoint(record), digest: digestOf(bytes) };
  } catch (error) {
    if (isCheckpointValidationError(error)) return { kind: 'damaged', reason: error.message };
    throw error;
  }
}
