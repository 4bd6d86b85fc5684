// Rich components (order lists, product carousels, …) arrive as {type, data, html}. The server
// sanitises `html`; this second pass is defence in depth, so a server bug alone can't run script
// in a customer's browser.

const BLOCKED = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'meta', 'base',
  'style', 'form', 'template', 'noscript', 'animate', 'set', 'animatemotion', 'animatetransform',
  'foreignobject',
]);
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'background', 'cite']);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * @param {{type?: string, html?: string}} component
 * @returns {HTMLElement | null} a container holding the component, or null if it has no html
 */
export function renderComponent(component) {
  if (!component || typeof component.html !== 'string' || !component.html.trim()) return null;
  const type = typeof component.type === 'string' ? component.type : 'component';

  // <template> content is inert (no script runs, no image loads), so we clean before it joins the
  // page. Under our CSP, a handler attribute here is still reported (never run): with the server's
  // sanitiser working, such a report means it let one through.
  const template = document.createElement('template');
  template.innerHTML = component.html;
  clean(template.content);

  const container = document.createElement('div');
  container.className = 'wo-component';
  container.dataset.type = type;
  container.append(template.content);
  return container;
}

function clean(root) {
  for (const el of [...root.querySelectorAll('*')]) {
    if (BLOCKED.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'srcset' || name === 'formaction') {
        el.removeAttribute(attr.name);
      } else if (URL_ATTRS.has(name) && !isSafeUrl(attr.value)) {
        el.removeAttribute(attr.name);
      }
    }
    // Web links leave the chat in a new tab and don't hand the page to the target.
    if (el.localName === 'a' && /^https?:/i.test(el.getAttribute('href') || '')) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
}

function isSafeUrl(value) {
  try {
    return SAFE_PROTOCOLS.has(new URL(value, window.location.href).protocol);
  } catch {
    return false;
  }
}
