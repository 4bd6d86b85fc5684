// A small accessible menu button: the button toggles a role="menu" list of menuitem /
// menuitemradio entries; arrows, Home/End, Enter/Space, Escape and click-outside behave as the
// WAI-ARIA menu button pattern describes.
import { el, icon } from './dom.js';

/**
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} menu
 * @param {() => Array<{label: string, hint?: string, checked?: boolean, disabled?: boolean, danger?: boolean, separator?: boolean, onSelect?: () => void}>} getItems
 */
export function createMenu(button, menu, getItems) {
  let items = [];

  function render() {
    menu.replaceChildren();
    items = [];
    for (const item of getItems()) {
      if (item.separator) {
        menu.append(el('div', { class: 'menu-sep', attrs: { role: 'separator' } }));
        continue;
      }
      const radio = item.checked !== undefined;
      const node = el('button', {
        class: `menu-item${item.danger ? ' menu-item--danger' : ''}`,
        attrs: { type: 'button', role: radio ? 'menuitemradio' : 'menuitem', 'aria-checked': radio ? String(Boolean(item.checked)) : null, tabindex: '-1', 'aria-disabled': item.disabled ? 'true' : null },
      });
      const check = el('span', { class: 'menu-check', attrs: { 'aria-hidden': 'true' } });
      if (item.checked) check.append(icon('check', 14));
      node.append(check, el('span', { class: 'menu-label', text: item.label }));
      if (item.hint) node.append(el('span', { class: 'menu-hint', text: item.hint, attrs: { 'aria-hidden': 'true' } }));
      if (item.shortcut) node.setAttribute('aria-keyshortcuts', item.shortcut);
      node.addEventListener('click', () => {
        if (item.disabled) return;
        close(true);
        item.onSelect?.();
      });
      menu.append(node);
      items.push(node);
    }
  }

  function open(focusLast = false) {
    if (button.disabled) return;
    render();
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    const enabled = items.filter((n) => n.getAttribute('aria-disabled') !== 'true');
    const checked = enabled.find((n) => n.getAttribute('aria-checked') === 'true');
    (focusLast ? enabled[enabled.length - 1] : checked ?? enabled[0])?.focus();
    document.addEventListener('pointerdown', onOutside, true);
  }

  function close(restoreFocus = false) {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onOutside, true);
    if (restoreFocus) button.focus();
  }

  function onOutside(event) {
    if (!menu.contains(event.target) && !button.contains(event.target)) close(false);
  }

  button.addEventListener('click', () => (menu.hidden ? open() : close(true)));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      open(e.key === 'ArrowUp');
    }
  });
  menu.addEventListener('keydown', (e) => {
    const enabled = items.filter((n) => n.getAttribute('aria-disabled') !== 'true');
    const index = enabled.indexOf(document.activeElement);
    const move = (to) => {
      e.preventDefault();
      enabled[(to + enabled.length) % enabled.length]?.focus();
    };
    switch (e.key) {
      case 'ArrowDown': return move(index + 1);
      case 'ArrowUp': return move(index - 1);
      case 'Home': return move(0);
      case 'End': return move(enabled.length - 1);
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        return close(true);
      case 'Tab':
        return close(false);
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          // Type-ahead: the next item starting with that letter.
          const letter = e.key.toLowerCase();
          const start = Math.max(index, -1);
          for (let i = 1; i <= enabled.length; i++) {
            const n = enabled[(start + i) % enabled.length];
            if (n.textContent.trim().toLowerCase().startsWith(letter)) {
              e.preventDefault();
              n.focus();
              break;
            }
          }
        }
    }
  });

  return { open, close, get isOpen() { return !menu.hidden; } };
}
