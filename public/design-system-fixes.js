/*
 * Two things NHS.UK frontend's script does that accessibility checks (axe-core, WCAG 2.2) refuse:
 * - a radio or checkbox that reveals more questions gets aria-expanded, which ARIA does not allow on
 *   them; the revealed questions follow the input, so nothing is lost without it.
 * - the drop-zone file upload replaces the file input with a button named partly by itself, so its
 *   visible text is not all in its accessible name (WCAG 2.5.3). The browser's own file input, with
 *   its label and hint, is kept instead: call beforeInitAll() before initAll().
 */
export function beforeInitAll(root = document) {
  root.querySelectorAll('[data-module="nhsuk-file-upload"]').forEach((upload) => upload.removeAttribute('data-module'));
}

export function afterInitAll(root = document) {
  const strip = (input) => input.removeAttribute('aria-expanded');
  const choices = 'input[type="radio"][aria-expanded], input[type="checkbox"][aria-expanded]';
  root.querySelectorAll(choices).forEach(strip);
  new MutationObserver((changes) => {
    for (const change of changes) if (change.target.matches?.(choices)) strip(change.target);
  }).observe(root.body ?? root, { subtree: true, attributes: true, attributeFilter: ['aria-expanded'] });
}
