// The inbox pane's rendering of a stored message: `content_html`, safe to insert as HTML, built
// from `content` exactly as stored (which the API also returns untouched).
//
// - customer text: escaped, line breaks kept; never parsed as HTML or markdown;
// - assistant / agent text: light markdown (bold, italics, lists, line breaks, http(s) links),
//   every piece of text escaped;
// - legacy raw HTML in assistant rows: through `sanitizeHtml`, the project's one sanitiser for
//   untrusted HTML, with plain-http images dropped (images: relative or https only) and inline
//   style attributes removed (the inbox's CSP refuses them);
// - the original's markers: `**Function Result (name):** {json}` becomes a collapsed <details> with
//   the pretty-printed JSON (escaped); `**CAROUSEL_DATA:** {"products":[...]}` becomes product chips.
//   A marker whose JSON can't be read is shown as escaped text in the same collapsed block.
// Nothing here throws on odd data (empty, huge, broken markers, non-string content).
import { escapeHtml, formatMoney, sanitizeHtml } from '../components/index.ts';
import type { ApiMessage } from '../conversations/conversation-store.ts';

export interface MessageForHtml {
  content: string | null | undefined;
  role: string | null | undefined;
  sender_type?: string | null;
  function_name?: string | null;
  components?: unknown;
}

/** Longest pretty-printed JSON shown in a function-result block (the rest is cut with a note). */
const MAX_JSON_CHARS = 20_000;
/** Longest list of product chips drawn from one carousel marker. */
const MAX_PRODUCTS = 12;

const MARKER = /\*\*(?:Function Result \(([^()\n]{0,100})\)|(CAROUSEL_DATA)):\*\*[ \t]*/g;
// A tag-like thing: "<div", "</p>", "<br/>". "a < b" or "<3" are text, not HTML.
const LOOKS_LIKE_HTML = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;

/** The HTML for one message, for the inbox pane. */
export function renderMessageHtml(message: MessageForHtml): string {
  const content = typeof message.content === 'string' ? message.content : '';
  if (!content.trim()) return '';
  const customer = message.sender_type === 'customer' || (!message.sender_type && message.role === 'user');
  if (customer) return plainText(content);

  const out: string[] = [];
  let last = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(content); m; m = MARKER.exec(content)) {
    const start = m.index;
    const afterMarker = start + m[0].length;
    out.push(renderText(content.slice(last, start), message));
    const isCarousel = m[2] !== undefined;
    const name = isCarousel ? 'CAROUSEL_DATA' : (m[1] ?? '').trim();
    const json = extractJson(content, afterMarker);
    if (json) {
      out.push(isCarousel ? carousel(json.value) : functionResult(name, json.value));
      last = json.end;
    } else {
      // Broken marker: the text up to the next marker (or the end) is shown, escaped, collapsed.
      MARKER.lastIndex = afterMarker;
      const next = MARKER.exec(content);
      const end = next ? next.index : content.length;
      out.push(brokenMarker(isCarousel ? 'Product carousel' : name, content.slice(afterMarker, end)));
      last = end;
    }
    MARKER.lastIndex = last;
  }
  out.push(renderText(content.slice(last), message));
  return out.filter(Boolean).join('');
}

/** The API message plus `content_html` (content itself untouched). */
export function withContentHtml<M extends ApiMessage>(message: M): M & { content_html: string } {
  let contentHtml: string;
  try {
    contentHtml = renderMessageHtml(message);
  } catch {
    // Never fail a page of messages over one odd row: show it as escaped text.
    contentHtml = plainText(typeof message.content === 'string' ? message.content : '');
  }
  return { ...message, content_html: contentHtml };
}

// ---------- text ----------

function renderText(text: string, message: MessageForHtml): string {
  if (!text.trim()) return '';
  // Legacy raw HTML lives in the assistant's rows only; what agents type is always text.
  const fromAssistant = message.sender_type !== 'business_rep';
  if (fromAssistant && LOOKS_LIKE_HTML.test(text)) return legacyHtml(text);
  return markdown(text);
}

/** Customer text: escaped paragraphs, line breaks kept. */
function plainText(text: string): string {
  return paragraphs(text)
    .map((p) => `<p>${p.map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

function paragraphs(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (!line.trim()) {
      current = null;
      continue;
    }
    if (!current) {
      current = [];
      out.push(current);
    }
    current.push(line);
  }
  return out;
}

function legacyHtml(text: string): string {
  // The original's markdown bold inside HTML rows, then the one sanitiser decides what stays.
  const withBold = text.replace(/\*\*(?=\S)([^*\n]{1,400}?\S)\*\*/g, '<strong>$1</strong>');
  const clean = sanitizeHtml(withBold)
    // sanitize-html's output is normalised (attribute values double-quoted with `"` and `>`
    // escaped, "<" in text escaped), so tags are found reliably here.
    // Images: relative or https only.
    .replace(/<img\b[^>]*?\ssrc="http:[^"]*"[^>]*>/gi, '')
    // No inline styles: the inbox page's CSP refuses them (and would report each one).
    .replace(/<[a-z][a-z0-9]*\b[^>]*>/gi, (tag) => tag.replace(/\sstyle="[^"]*"/gi, ''))
    .trim();
  return clean ? `<div class="wo-legacy-html">${clean}</div>` : '';
}

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
const HEADING = /^\s*#{1,6}\s+(.*)$/;

/** Light markdown: paragraphs with line breaks, "- " / "1. " lists, "# " headings as bold lines. */
function markdown(text: string): string {
  const out: string[] = [];
  let paragraph: string[] | null = null;
  let list: { tag: 'ul' | 'ol'; start: number; items: string[] } | null = null;
  const endParagraph = () => {
    if (paragraph) out.push(`<p>${paragraph.join('<br>')}</p>`);
    paragraph = null;
  };
  const endList = () => {
    if (list) out.push(`<${list.tag}${list.tag === 'ol' && list.start !== 1 ? ` start="${list.start}"` : ''}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      endParagraph();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tag !== tag) {
        endList();
        list = { tag, start: numbered ? Number(numbered[1]) : 1, items: [] };
      }
      list.items.push(inline(bullet ? bullet[1]! : numbered![2]!));
      continue;
    }
    if (!line.trim()) {
      endParagraph();
      endList();
      continue;
    }
    endList();
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      out.push(`<p><strong>${inline(heading[1]!)}</strong></p>`);
      continue;
    }
    (paragraph ??= []).push(inline(line));
  }
  endParagraph();
  endList();
  return out.join('');
}

// One pass over the inline syntax, the earliest match winning; bounded so a long line of stars
// can't make it slow.
const INLINE =
  /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s()<>]{1,2000})\)|(https?:\/\/[^\s<>"'`]{1,2000})|\*\*(?=\S)([^\n]{0,400}?\S)\*\*|\*(?=[^\s*])([^*\n]{0,400}?[^\s*])\*/g;

/** Inline markdown over raw text: every text piece escaped, links only to http(s). */
function inline(text: string, depth = 0): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const [whole, label, labelledUrl, bareUrl, bold, italic] = m;
    const start = m.index;
    let consumed = whole.length;
    let piece: string | null;
    if (labelledUrl !== undefined) {
      piece = link(labelledUrl, escapeHtml(label!));
    } else if (bareUrl !== undefined) {
      const url = trimUrl(bareUrl);
      consumed = url.length;
      piece = link(url, escapeHtml(url));
    } else {
      const tag = bold !== undefined ? 'strong' : 'em';
      const inner = (bold ?? italic)!;
      piece = `<${tag}>${depth < 3 ? inline(inner, depth + 1) : escapeHtml(inner)}</${tag}>`;
    }
    if (piece === null) continue;
    out += escapeHtml(text.slice(last, start)) + piece;
    last = start + consumed;
  }
  return out + escapeHtml(text.slice(last));
}

function trimUrl(url: string): string {
  let out = url.replace(/[.,;:!?'"]+$/, '');
  while (out.endsWith(')') && (out.match(/\(/g) ?? []).length < (out.match(/\)/g) ?? []).length) out = out.slice(0, -1);
  return out;
}

function link(href: string, labelHtml: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `<a href="${escapeHtml(url.href)}" target="_blank" rel="noopener noreferrer nofollow">${labelHtml}</a>`;
}

// ---------- markers ----------

/** The JSON value starting at `from` (after optional whitespace): balanced braces, then parsed. */
function extractJson(text: string, from: number): { value: unknown; end: number } | null {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  const open = text[i];
  if (open !== '{' && open !== '[') return null;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        try {
          return { value: JSON.parse(text.slice(i, j + 1)), end: j + 1 };
        } catch {
          return null;
        }
      }
    }
  }
  return null;
}

function functionResult(name: string, value: unknown): string {
  let pretty = JSON.stringify(value, null, 2) ?? 'null';
  let cut = '';
  if (pretty.length > MAX_JSON_CHARS) {
    cut = `\n… (${(pretty.length - MAX_JSON_CHARS).toLocaleString('en-US')} more characters)`;
    pretty = pretty.slice(0, MAX_JSON_CHARS);
  }
  const ok = value && typeof value === 'object' && 'ok' in value ? (value as { ok: unknown }).ok !== false : true;
  return (
    `<details class="wo-fn-result${ok ? '' : ' wo-fn-result--error'}">` +
    `<summary><span class="wo-fn-result__label">Function result</span> <code class="wo-fn-result__name">${escapeHtml(name || 'unknown')}</code></summary>` +
    `<pre class="wo-fn-result__json">${escapeHtml(pretty + cut)}</pre></details>`
  );
}

function brokenMarker(name: string, raw: string): string {
  const text = raw.length > MAX_JSON_CHARS ? `${raw.slice(0, MAX_JSON_CHARS)}…` : raw;
  return (
    '<details class="wo-fn-result wo-fn-result--broken">' +
    `<summary><span class="wo-fn-result__label">Unreadable result</span> <code class="wo-fn-result__name">${escapeHtml(name || 'unknown')}</code></summary>` +
    `<pre class="wo-fn-result__json">${escapeHtml(text.trim() || '(empty)')}</pre></details>`
  );
}

/** Our own product images only (/assets/…): the pages' CSP allows nothing else anyway. */
function assetSrc(src: unknown): string | null {
  return typeof src === 'string' && /^\/assets\/[A-Za-z0-9_\-/]+(\.[A-Za-z0-9]+)?$/.test(src) && !src.includes('..') && !src.includes('//') ? src : null;
}

function carousel(value: unknown): string {
  const products = value && typeof value === 'object' && Array.isArray((value as { products?: unknown }).products)
    ? ((value as { products: unknown[] }).products)
    : null;
  if (!products) return functionResult('CAROUSEL_DATA', value);
  const items = products.filter((p): p is Record<string, unknown> => !!p && typeof p === 'object').slice(0, MAX_PRODUCTS);
  const chips = items.map((p) => {
    const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim().slice(0, 120) : 'Product';
    const sku = typeof p.sku === 'string' ? p.sku.slice(0, 40) : typeof p.sku === 'number' ? String(p.sku) : null;
    const price = typeof p.price === 'number' ? formatMoney(p.price) : typeof p.price === 'string' && /^\$?\d[\d,]*(\.\d+)?$/.test(p.price) ? p.price : null;
    const src = assetSrc(p.image);
    return (
      '<li class="wo-product-chip">' +
      (src ? `<img src="${escapeHtml(src)}" alt="" width="28" height="28" loading="lazy">` : '') +
      `<span class="wo-product-chip__name">${escapeHtml(name)}</span>` +
      (price ? ` <span class="wo-product-chip__price">${escapeHtml(price)}</span>` : '') +
      (sku ? ` <span class="wo-product-chip__sku">${escapeHtml(sku)}</span>` : '') +
      '</li>'
    );
  });
  const more = products.length > items.length ? `<li class="wo-product-chip wo-product-chip--more">+${products.length - items.length} more</li>` : '';
  const count = products.length === 1 ? '1 product' : `${products.length} products`;
  return `<div class="wo-product-chips"><p class="wo-product-chips__label">Product carousel · ${count}</p><ul>${chips.join('')}${more}</ul></div>`;
}
