// Formatting shared by the renderers: money, dates, phones and the badges pages style.
import { html, modifier, type SafeHtml } from './html.ts';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** 1299.99 → "$1,299.99" */
export function formatMoney(amount: number | null | undefined): string {
  return typeof amount === 'number' && Number.isFinite(amount) ? usd.format(amount) : '—';
}

const dateOnly = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
// The showrooms are in Georgia: times of day are shown in Eastern time.
const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'America/New_York',
  timeZoneName: 'short',
});

function parseDate(value: string): Date | undefined {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "2025-03-04" → "Mar 4, 2025"; an unreadable value is shown as given. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = parseDate(value);
  return d ? dateOnly.format(d) : value;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = parseDate(value);
  return d ? dateTime.format(d) : value;
}

/** A <time> element with a machine-readable datetime. */
export function timeTag(value: string | null | undefined, withTime = false): SafeHtml {
  if (!value) return html`<span class="wo-muted">—</span>`;
  const d = parseDate(value);
  if (!d) return html`${value}`;
  const machine = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : d.toISOString();
  return html`<time datetime="${machine}">${withTime ? formatDateTime(value) : formatDate(value)}</time>`;
}

/** "+14045550142" → "(404) 555-0142" */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const d = phone.replace(/\D/g, '').slice(-10);
  return d.length === 10 ? `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : phone;
}

export function telHref(phone: string | null | undefined): string | undefined {
  if (!phone) return undefined;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 10) return `tel:+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `tel:+${digits}`;
  return undefined;
}

export function mailtoHref(email: string | null | undefined): string | undefined {
  return email && /^[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+$/.test(email) ? `mailto:${email}` : undefined;
}

export function phoneLink(phone: string | null | undefined): SafeHtml {
  const href = telHref(phone);
  const text = formatPhone(phone);
  return href ? html`<a class="wo-link" href="${href}">${text}</a>` : html`${text || '—'}`;
}

export function emailLink(email: string | null | undefined): SafeHtml {
  const href = mailtoHref(email);
  return href ? html`<a class="wo-link" href="${href}">${email}</a>` : html`${email || '—'}`;
}

const statusClass: Record<string, string> = { F: 'finalized', P: 'pending', C: 'cancelled', S: 'shipped' };

/** An order status badge: wo-badge wo-badge--pending etc. */
export function statusBadge(status: string, label: string): SafeHtml {
  return html`<span class="wo-badge wo-badge--${statusClass[status] ?? modifier(status)}">${label}</span>`;
}

/** In stock / Only N left / Out of stock */
export function stockBadge(stock: number): SafeHtml {
  if (!(stock > 0)) return html`<span class="wo-stock wo-stock--out">Out of stock</span>`;
  if (stock <= 5) return html`<span class="wo-stock wo-stock--low">Only ${stock} left</span>`;
  return html`<span class="wo-stock wo-stock--in">In stock</span>`;
}

const priorityText: Record<string, string> = { urgent: 'Urgent', high: 'High priority', normal: 'Normal priority', low: 'Low priority' };

export function priorityBadge(priority: string): SafeHtml {
  return html`<span class="wo-badge wo-badge--priority wo-badge--priority-${modifier(priority)}">${priorityText[priority] ?? priority}</span>`;
}

export function tierBadge(tier: string): SafeHtml {
  return html`<span class="wo-tier wo-tier--${modifier(tier)}">${tier}</span>`;
}

export const categoryName = (category: string): string => {
  const words = category.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A definition-list row, skipped when there is no value. */
export function fact(label: string, value: SafeHtml | string | number | null | undefined): SafeHtml {
  if (value === null || value === undefined || value === '') return html``;
  return html`<div class="wo-facts__item"><dt>${label}</dt><dd>${value}</dd></div>`;
}
