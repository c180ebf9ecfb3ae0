import { describeValue, isRfc3339 } from '@sdp/internal';
import { CheckpointValidationError } from './errors.js';

/** How a checkpoint is read: `load`, JSON from a file, possibly Go-written (nil slices as `null`); `save`, exactly the type. */
export type Mode = 'load' | 'save';
export type JsonRecord = Record<string, unknown>;

// Paths are built only when a check fails: a checkpoint of 100k workstreams has a million values.

export function fail(path: string, expected: string, value: unknown): never {
  throw new CheckpointValidationError(`${path} must be ${expected}, got ${describeValue(value)}`, path);
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function member(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isMilliseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export const NON_EMPTY_STRING = 'a non-empty string';
export const COUNT = 'a non-negative integer';
export const MILLISECONDS = 'a non-negative finite number';

export function nonEmptyString(value: unknown, path: string): string {
  if (!isNonEmptyString(value)) fail(path, NON_EMPTY_STRING, value);
  return value;
}

export function count(value: unknown, path: string): number {
  if (!isCount(value)) fail(path, COUNT, value);
  return value;
}

export function time(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isRfc3339(value)) {
    fail(path, 'an RFC 3339 date-time such as "2026-02-07T12:34:56.123Z"', value);
  }
  return value;
}

/** The index of the first element of `value` that is not a non-empty string, or -1. */
export function badIdIndex(value: readonly unknown[]): number {
  for (let index = 0; index < value.length; index += 1) {
    if (!isNonEmptyString(value[index])) return index;
  }
  return -1;
}

/** An array of ids; `path` is called only to report a bad one. */
export function ids(value: unknown, path: () => string, mode: Mode): string[] {
  // Go marshals a nil slice as null.
  if (value === null && mode === 'load') return [];
  if (!Array.isArray(value)) fail(path(), 'an array of non-empty strings', value);
  const bad = badIdIndex(value);
  if (bad >= 0) fail(`${path()}[${bad}]`, NON_EMPTY_STRING, value[bad]);
  return value as string[];
}

export function recordOf(value: unknown, path: string, isValid: (item: unknown) => boolean, expected: string): void {
  if (!isRecord(value)) fail(path, 'an object', value);
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    const item = value[name];
    if (!isValid(item)) fail(member(path, name), expected, item);
  }
}

/** Extra keys may hold anything JSON can carry, so that they read back exactly as they were saved. */
export function assertJson(value: unknown, path: () => string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path(), 'a finite number', value);
    return;
  }
  if (typeof value !== 'object') fail(path(), 'a JSON value', value);
  if (ancestors.has(value)) fail(path(), 'a JSON value without cycles', value);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const itemPath = (): string => `${path()}[${index}]`;
      if (item === undefined) fail(itemPath(), 'a JSON value', item);
      assertJson(item, itemPath, ancestors);
    }
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) fail(path(), 'a plain object', value);
    for (const [name, item] of Object.entries(value)) {
      if (item !== undefined) assertJson(item, () => member(path(), name), ancestors);
    }
  }
  ancestors.delete(value);
}

export function assertExtras(record: JsonRecord, known: ReadonlySet<string>, path: () => string): void {
  for (const name in record) {
    if (known.has(name) || !Object.hasOwn(record, name)) continue;
    const item = record[name];
    if (item !== undefined) assertJson(item, () => member(path(), name), new Set());
  }
}
