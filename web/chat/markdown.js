// A small, safe markdown subset for the model's text: paragraphs, line breaks, "- " and "1. "
// lists, **bold**, *italic*, [label](https://…) and bare http(s) links.
// It builds DOM nodes and sets text with createTextNode, so the model's text is never parsed as
// HTML: "<img onerror=…>" stays visible as text. (Equivalent to escaping everything first.)

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;

// One pass over the inline syntax; the earliest match wins.
const INLINE =
  /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s()<>]+)\)|(https?:\/\/[^\s<>"'`]+)|\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([^*\n]*?[^\s*])\*/g;

/**
 * @param {string} text the model's markdown
 * @returns {DocumentFragment}
 */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');

  let paragraph = null; // <p> collecting consecutive plain lines
  let list = null; // <ul>/<ol> collecting consecutive list items

  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);

    if (bullet || numbered) {
      paragraph = null;
      const tag = bullet ? 'UL' : 'OL';
      if (!list || list.tagName !== tag) {
        list = document.createElement(tag);
        if (numbered && numbered[1] !== '1') list.start = Number(numbered[1]);
        fragment.append(list);
      }
      const item = document.createElement('li');
      appendInline(item, bullet ? bullet[1] : numbered[2]);
      list.append(item);
      continue;
    }

    if (line.trim() === '') {
      // A blank line ends the paragraph or list.
      paragraph = null;
      list = null;
      continue;
    }

    list = null;
    if (paragraph) {
      paragraph.append(document.createElement('br'));
    } else {
      paragraph = document.createElement('p');
      fragment.append(paragraph);
    }
    appendInline(paragraph, line);
  }
  return fragment;
}

/** Appends `text` to `parent`, turning the inline syntax into elements. */
function appendInline(parent, text, depth = 0) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const [whole, label, labelledUrl, bareUrl, bold, italic] = m;
    const start = m.index;
    let consumed = whole;

    if (labelledUrl !== undefined) {
      const link = makeLink(labelledUrl, label);
      if (!link) continue;
      pushText(parent, text.slice(last, start));
      parent.append(link);
    } else if (bareUrl !== undefined) {
      // Sentence punctuation after a URL is not part of it ("see https://x.com.").
      const url = trimUrl(bareUrl);
      consumed = url;
      const link = makeLink(url, url);
      if (!link) continue;
      pushText(parent, text.slice(last, start));
      parent.append(link);
    } else {
      const el = document.createElement(bold !== undefined ? 'strong' : 'em');
      const inner = bold !== undefined ? bold : italic;
      // Nested emphasis/links inside bold ("**see [this](…)**"), bounded for safety.
      if (depth < 3) appendInline(el, inner, depth + 1);
      else pushText(el, inner);
      pushText(parent, text.slice(last, start));
      parent.append(el);
    }
    last = start + consumed.length;
  }
  pushText(parent, text.slice(last));
}

function pushText(parent, text) {
  if (text) parent.append(document.createTextNode(text));
}

function trimUrl(url) {
  let out = url.replace(/[.,;:!?'"]+$/, '');
  // Drop a closing parenthesis that has no opening partner inside the URL: "(see https://x.com)".
  while (out.endsWith(')') && (out.match(/\(/g) || []).length < (out.match(/\)/g) || []).length) {
    out = out.slice(0, -1);
  }
  return out;
}

/** An <a> for http(s) URLs only; anything else (javascript:, data:) stays text. */
function makeLink(href, label) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const a = document.createElement('a');
  a.href = url.href;
  a.textContent = label;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}
