// RFC 3339 date-time: any number of fraction digits (Go writes up to 9), `Z` or a numeric offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True for an RFC 3339 date-time as Go's `time.Time` marshals it (nanoseconds, offsets, the zero time
 * `0001-01-01T00:00:00Z`) and as `Date#toISOString` writes it. False for impossible dates (February 30,
 * hour 24, an offset beyond 23:59) and for leap seconds, which neither writer produces.
 */
export function isRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map(Number) as [
    number, number, number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  // Without an offset both are NaN, and the comparisons are false.
  return !(offsetHours > 23 || offsetMinutes > 59);
}
