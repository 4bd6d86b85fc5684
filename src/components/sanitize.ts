// The project's two sanitize-html configurations. Components: a strict allow-list matching the
// markup our renderers emit (a second line of defence after escaping). Untrusted HTML (legacy
// stored messages, anything else from outside): basic formatting, lists, tables, links and images.
import sanitize from 'sanitize-html';
import { safeAssetSrc } from './html.ts';

const linkSchemes = ['https', 'http', 'mailto', 'tel'];

const componentOptions: sanitize.IOptions = {
  allowedTags: [
    'section', 'article', 'header', 'footer', 'div', 'span', 'p', 'h3', 'h4', 'h5',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd',
    'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'a', 'img', 'figure', 'figcaption', 'strong', 'em', 'small', 'time', 'address', 'br', 'abbr',
    'button', 'progress',
  ],
  allowedAttributes: {
    '*': ['class', 'title', 'role', 'aria-label', 'aria-hidden', 'aria-live', 'data-*'],
    a: ['href', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height', 'loading', 'decoding'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    time: ['datetime'],
    button: ['type'],
    progress: ['value', 'max'],
  },
  allowedSchemes: linkSchemes,
  // Images only from our own /assets/ (relative, so no scheme at all).
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      const safe = safeAssetSrc(src);
      return { tagName, attribs: safe ? { ...rest, src: safe } : rest };
    },
    a: (tagName, attribs) => ({
      tagName,
      attribs: attribs.target ? { ...attribs, target: '_blank', rel: 'noopener noreferrer' } : attribs,
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** For our component renderers' output. */
export function sanitizeComponentHtml(dirty: string): string {
  return sanitize(dirty, componentOptions);
}

const colour = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(,\s*(0|1|0?\.\d+)\s*)?\)$/i, /^[a-z]{3,20}$/i];

const untrustedOptions: sanitize.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark',
    'small', 'sub', 'sup', 'code', 'pre', 'blockquote', 'hr',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd',
    'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'a', 'img', 'figure', 'figcaption', 'abbr', 'time', 'address',
    'section', 'article', 'header', 'footer',
  ],
  allowedAttributes: {
    '*': ['class', 'title', 'lang', 'dir', 'style', 'aria-label'],
    a: ['href', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    th: ['scope', 'colspan', 'rowspan', 'align'],
    td: ['colspan', 'rowspan', 'align'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start', 'reversed', 'type'],
    time: ['datetime'],
  },
  // Inline styles: only harmless text formatting (no position, no url(), no expressions).
  allowedStyles: {
    '*': {
      color: colour,
      'background-color': colour,
      'text-align': [/^(left|right|center|justify)$/],
      'font-weight': [/^(normal|bold|bolder|lighter|[1-9]00)$/],
      'font-style': [/^(normal|italic)$/],
      'text-decoration': [/^(none|underline|line-through)$/],
    },
  },
  allowedSchemes: linkSchemes,
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links open safely and pass no ranking to whatever a stored message pointed at.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
  // An image whose src was refused (data:, javascript:) is dropped rather than left empty.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/**
 * The one sanitiser for untrusted HTML (legacy stored messages, model-written snippets): keeps
 * formatting, lists, tables, links (http/https/mailto/tel) and images (http/https/relative);
 * drops script, style, iframes, forms, event handlers and javascript:/data: URLs.
 */
export function sanitizeHtml(dirty: string): string {
  return sanitize(dirty, untrustedOptions);
}
