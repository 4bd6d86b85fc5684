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
