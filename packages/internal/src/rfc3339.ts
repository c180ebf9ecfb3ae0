/** Go's zero `time.Time`, which Go writes where a time was never set. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const MS_PER_DAY = 86_400_000;

// RFC 3339 date-time: any number of fraction digits (Go writes up to 9), `Z` or a numeric offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1..12); valid for year 1. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an RFC 3339 date-time (as Go's `time.Time` marshals it) into epoch milliseconds,
 * truncating sub-millisecond digits. Returns `undefined` when the text is not a valid date-time
 * (wrong shape, month 13, February 30, hour 24, a leap second, an offset beyond 23:59).
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, sign, offsetH, offsetM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const offsetHours = Number(offsetH);
    const offsetMins = Number(offsetM);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/** Epoch milliseconds of {@link GO_ZERO_TIME}. */
export const GO_ZERO_TIME_MS = daysFromCivil(1, 1, 1) * MS_PER_DAY;

/** Formats epoch milliseconds as ISO-8601 UTC; `undefined` (never happened) as Go's zero time. */
export function formatTime(epochMs: number | undefined): string {
  return epochMs === undefined ? GO_ZERO_TIME : new Date(epochMs).toISOString();
}

/**
 * True for an RFC 3339 date-time as Go's `time.Time` marshals it (nanoseconds, offsets, the zero time)
 * and as `Date#toISOString` writes it; false for impossible dates and leap seconds.
 */
export function isRfc3339(text: string): boolean {
  return parseRfc3339(text) !== undefined;
}
