// Building HTML from typed data: every interpolated value is escaped unless it is SafeHtml that
// this module produced. Nothing written by the model or stored in LOFT can become markup.
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => entities[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** html`<p>${text}</p>`: a template whose values are escaped (arrays joined, null/false dropped). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** A link target we are willing to emit: http(s), mailto and tel only. */
export function safeHref(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  try {
    const parsed = new URL(trimmed);
    return ['https:', 'http:', 'mailto:', 'tel:'].includes(parsed.protocol) ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** A local image path under /assets/ (no traversal, no scheme), else undefined. */
export function safeAssetSrc(src: string | undefined | null): string | undefined {
  if (!src) return undefined;
  return /^\/assets\/[A-Za-z0-9_\-/]+(\.[A-Za-z0-9]+)?$/.test(src) && !src.includes('..') && !src.includes('//') ? src : undefined;
}

/** Lower-case words joined by dashes, for class-name modifiers built from data. */
export function modifier(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}
