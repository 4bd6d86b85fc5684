// Text clean-up shared by the analyzers. Everything here is total: any input (non-string, empty,
// HTML, emoji, megabytes) returns a string and never throws.

/** Longest clean text the analyzers look at (the start of the message). Stored messages reach
 *  ~6,000 chars; what a customer wants is in the first paragraphs, and the regex scan costs ~0.5 µs
 *  per character, so this bounds the worst case at ~2 ms per message. */
export const MAX_ANALYZED_CHARS = 4_000;

const MARKER_RE = /\*\*(?:Function Result \(([^)\n]{0,120})\)|CAROUSEL_DATA):\*\*\s*/g;

/**
 * Removes the legacy markers `**Function Result (name):** {json}` and `**CAROUSEL_DATA:** {...}`,
 * including the JSON value that follows each (balanced braces/brackets, strings respected). When the
 * JSON is truncated the rest of the text is dropped. Function names found in the markers are pushed
 * into `names` when given.
 */
export function stripLegacyMarkers(text: string, names?: string[]): string {
  if (text.indexOf('**') === -1) return text;
  MARKER_RE.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER_RE.exec(text)) !== null) {
    if (names && m[1]) names.push(m[1].trim());
    out += text.slice(last, m.index) + ' ';
    const end = skipJsonValue(text, MARKER_RE.lastIndex);
    last = end;
    MARKER_RE.lastIndex = end;
    if (end >= text.length) break;
  }
  return last === 0 && out === '' ? text : out + text.slice(last);
}

/** Index just past the JSON object/array starting at `i` (or `i` itself when none starts there). */
function skipJsonValue(s: string, i: number): number {
  const open = s.charCodeAt(i);
  if (open !== 123 /* { */ && open !== 91 /* [ */) return i;
  let depth = 0;
  let inStr = false;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (inStr) {
      if (c === 92 /* \ */) j++;
      else if (c === 34 /* " */) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return s.length;
}

const SCRIPT_STYLE_RE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TAG_RE = /<\/?[a-zA-Z!][^<>]{0,2000}>/g;
const ENTITY_RE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ntilde: 'ñ', aacute: 'á',
  eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', iexcl: '¡', iquest: '¿', rsquo: "'", lsquo: "'",
  ldquo: '"', rdquo: '"', hellip: '…', mdash: '—', ndash: '–',
};

/** Strips HTML tags (and script/style bodies) and decodes common entities. */
export function stripHtml(text: string): string {
  let s = text;
  if (s.indexOf('<') !== -1) {
    s = s.replace(SCRIPT_STYLE_RE, ' ').replace(TAG_RE, ' ');
  }
  if (s.indexOf('&') !== -1) {
    s = s.replace(ENTITY_RE, (all, dec?: string, hex?: string, name?: string) => {
      if (dec || hex) {
        const cp = dec ? Number(dec) : parseInt(hex as string, 16);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
      }
      return NAMED_ENTITIES[(name as string).toLowerCase()] ?? all;
    });
  }
  return s;
}

/** Human-readable clean text: markers and HTML removed, whitespace collapsed. Keeps case/accents. */
export function cleanText(raw: unknown, names?: string[]): string {
  if (typeof raw !== 'string' || raw.length === 0) return '';
  let s = raw.length > MAX_ANALYZED_CHARS * 2 ? raw.slice(0, MAX_ANALYZED_CHARS * 2) : raw;
  s = stripLegacyMarkers(s, names);
  s = stripHtml(s);
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > MAX_ANALYZED_CHARS ? s.slice(0, MAX_ANALYZED_CHARS) : s;
}

// Combining marks (accents, tildes) and emoji variation selectors, removed after NFD.
const MARKS_RE = /[\u0300-\u036f\ufe0e\ufe0f]/g;
const NON_ASCII_RE = /[^\x00-\x7f]/;
const APOSTROPHE_RE = /['’‘`´]/g;
// "I'll" must not fold to "ill" (nor "he'll" to "hell"): expand it before apostrophes go.
const WILL_RE = /([a-z])['’]ll\b/g;

/**
 * Matching form of an already-clean text: lower case, diacritics removed (NFD + strip, so
 * "¿Dónde está?" → "¿donde esta?", "ñ" → "n"), apostrophes removed ("don't" → "dont", but "I'll" → "i will"),
 * whitespace collapsed. Cue patterns are written in this form.
 */
export function foldForMatching(clean: string): string {
  let s = clean;
  if (NON_ASCII_RE.test(s)) s = s.normalize('NFD').replace(MARKS_RE, '');
  s = s.toLowerCase();
  if (s.indexOf("'") !== -1 || NON_ASCII_RE.test(s)) s = s.replace(WILL_RE, '$1 will').replace(APOSTROPHE_RE, '');
  return s;
}

/** cleanText + foldForMatching in one call. */
export function normalizeText(raw: unknown): string {
  return foldForMatching(cleanText(raw));
}
