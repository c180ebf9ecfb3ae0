import { describe, expect, it } from 'vitest';
import { resolveOptions } from './circuit-breaker-options.js';
import { OpenPeriod, openDurationMs } from './open-period.js';

describe('openDurationMs', () => {
  it('doubles from halfOpenAfterMs and stops at maxHalfOpenAfterMs', () => {
    const options = resolveOptions({ halfOpenAfterMs: 1000, maxHalfOpenAfterMs: 5000 });
    expect([1, 2, 3, 4, 5, 60].map((n) => openDurationMs(options, n))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('stays at maxHalfOpenAfterMs for absurd streaks (no overflow to NaN)', () => {
    const options = resolveOptions({});
    expect(openDurationMs(options, 5000)).toBe(300_000);
  });
});

describe('OpenPeriod', () => {
  it('is over exactly at its end', () => {
    const period = new OpenPeriod();
    period.start(100, 1100, 100);
    expect(period.isOverAt(1099)).toBe(false);
    expect(period.isOverAt(1100)).toBe(true);
    expect(period.openedAt).toBe(100);
  });

  it('a clock that went back counts as no time passing: the remaining time is kept', () => {
    const period = new OpenPeriod();
    period.start(0, 1000, 0);
    expect(period.isOverAt(400)).toBe(false);
    expect(period.isOverAt(-9600)).toBe(false);
    expect(period.until).toBe(-9600 + 600);
    expect(period.isOverAt(-9001)).toBe(false);
    expect(period.isOverAt(-9000)).toBe(true);
  });
});
