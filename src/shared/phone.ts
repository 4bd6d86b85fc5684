// Phones arrive as 404-555-0142, (404) 555-0142, +14045550142 ...; the original never
// normalised them, so web chat and voice never matched. We key everything on E.164 (+1XXXXXXXXXX).
export function normalizePhone(input: string): string | undefined {
  const digits = input.replace(/[^\d]/g, '');
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return undefined;
}

/** The display form LOFT stores and expects: 404-555-0142. */
export function displayPhone(e164: string): string {
  const d = e164.replace(/[^\d]/g, '').slice(-10);
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

const phonePattern = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const emailPattern = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;

/** The first phone number in a text, normalised, or undefined. */
export function findPhone(text: string): string | undefined {
  const m = phonePattern.exec(text);
  return m ? normalizePhone(m[0]) : undefined;
}

export function findEmail(text: string): string | undefined {
  const m = emailPattern.exec(text);
  return m ? normalizeEmail(m[0]) : undefined;
}

/**
 * The key a conversation is stored under: a phone in E.164, a lower-cased email, or the
 * identifier as given (a synthetic id).
 */
export function normalizeUserIdentifier(id: string): string {
  const trimmed = id.trim();
  if (emailPattern.test(trimmed) && !trimmed.includes(' ')) return normalizeEmail(trimmed);
  if (/^[\d\s()+.-]+$/.test(trimmed)) return normalizePhone(trimmed) ?? trimmed;
  return trimmed;
}
