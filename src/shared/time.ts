// Legacy columns are TIMESTAMP without time zone holding UTC; drivers hand them back as strings
// ("2025-03-01 10:00:00.123") or Dates. On the wire every time is ISO 8601 with Z.
export function toIso(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // PostgreSQL writes zones as +00 or +05:30; JavaScript needs +00:00.
  const s = (value.includes('T') ? value : value.replace(' ', 'T')).replace(/(\d\d:\d\d(?::\d\d(?:\.\d+)?)?[+-]\d\d)$/, '$1:00');
  const hasZone = /(Z|[+-]\d\d(:?\d\d)?)$/.test(s);
  const d = new Date(hasZone ? s : `${s}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A JS Date as the UTC wall-clock string a TIMESTAMP (without zone) column stores. */
export function toDbTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A client's ISO 8601 time (2026-11-25T16:40:12Z, 2026-11-25, with any offset) as canonical ISO
 * 8601 in UTC, or null when it is not a real time: the calendar date must exist and the instant
 * fall between the years 1 and 9999. Date.parse alone is not enough: it rolls 2026-02-30 over to
 * March 2, and the database refuses what Date.parse reads past the date (2026-11-25junk) or years
 * it cannot store, so handing it the client's own text turned such input into 500s.
 */
export function parseClientTime(s: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(s);
  const t = Date.parse(s);
  if (!m || Number.isNaN(t)) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  const at = new Date(t);
  const year = at.getUTCFullYear();
  return year >= 1 && year <= 9999 ? at.toISOString() : null;
}
