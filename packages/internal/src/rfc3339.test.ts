import { describe, expect, it } from 'vitest';
import { GO_ZERO_TIME, GO_ZERO_TIME_MS, formatTime, isRfc3339, parseRfc3339 } from './rfc3339.js';

describe('parseRfc3339', () => {
  it('parses UTC times with and without fractions', () => {
    expect(parseRfc3339('2026-02-07T12:34:56Z')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56));
    expect(parseRfc3339('2026-02-07T12:34:56.5Z')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 500));
    expect(parseRfc3339('2026-02-07t12:34:56.123z')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 123));
  });

  it('truncates Go nanoseconds to milliseconds', () => {
    expect(parseRfc3339('2026-02-07T12:34:56.123456789Z')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 123));
    expect(parseRfc3339('2026-02-07T12:34:56.999999999Z')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 999));
  });

  it('applies numeric offsets', () => {
    expect(parseRfc3339('2026-02-07T13:34:56+01:00')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56));
    expect(parseRfc3339('2026-02-07T07:04:56.25-05:30')).toBe(Date.UTC(2026, 1, 7, 12, 34, 56, 250));
  });

  it('parses the Go zero time, which JavaScript dates get wrong for two-digit years', () => {
    expect(parseRfc3339(GO_ZERO_TIME)).toBe(GO_ZERO_TIME_MS);
    expect(GO_ZERO_TIME_MS).toBe(-62_135_596_800_000);
  });

  it('handles leap years', () => {
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseRfc3339('2100-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2026-02-29T00:00:00Z')).toBeUndefined();
  });

  it.each([
    '',
    '2026-02-07',
    '2026-02-07 12:34:56Z',
    '2026-02-07T12:34:56',
    '2026-02-07T12:34:56.Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-02-07T24:00:00Z',
    '2026-02-07T12:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-02-07T12:34:56+24:00',
    '2026-02-07T12:34:56+01:60',
    '+02026-02-07T12:34:56Z',
    ' 2026-02-07T12:34:56Z',
  ])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('formatTime', () => {
  it('writes ISO-8601 UTC and the Go zero time for never', () => {
    expect(formatTime(Date.UTC(2026, 1, 7, 12, 34, 56, 7))).toBe('2026-02-07T12:34:56.007Z');
    expect(formatTime(undefined)).toBe('0001-01-01T00:00:00Z');
  });

  it('round-trips through parseRfc3339', () => {
    const ms = Date.UTC(2031, 6, 15, 1, 2, 3, 456);
    expect(parseRfc3339(formatTime(ms))).toBe(ms);
  });
});

describe('isRfc3339', () => {
  it.each([
    '2026-02-07T12:34:56Z',
    '2026-02-07T12:34:56.123Z',
    '2026-02-07T12:34:56.123456789Z',
    '2026-02-07T12:34:56.123456789+01:00',
    '2026-02-07T12:34:56-23:59',
    '0001-01-01T00:00:00Z',
    '2024-02-29T00:00:00z',
    '2026-02-07t12:34:56Z',
  ])('accepts %s (Go and Date#toISOString forms)', (text) => {
    expect(isRfc3339(text)).toBe(true);
  });

  it.each([
    '',
    '2026-02-07',
    '2026-02-07 12:34:56Z',
    '2026-02-07T12:34:56',
    '2026-02-07T12:34:56.Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-02-07T24:00:00Z',
    '2026-02-07T12:60:00Z',
    '2026-02-07T12:34:60Z',
    '2026-02-07T12:34:56+24:00',
    '2026-02-07T12:34:56+01:60',
    '+002026-02-07T12:34:56Z',
  ])('rejects %j', (text) => {
    expect(isRfc3339(text)).toBe(false);
  });
});
