import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.ts';

describe('PageCache', () => {
  const template = 'x.njk';
  const renderer = () => {
    let draws = 0;
    const render = (values: Record<string, unknown>) => (slots: { csrfToken: string; cspNonce: string }) => {
      draws++;
      return `<p>${String(values.text)}</p>${values.form ? `<input value="${slots.csrfToken}">` : ''}<script nonce="${slots.cspNonce}"></script>`;
    };
    return { render, draws: () => draws };
  };
  let n = 0;
  const fill = { csrfToken: () => `token${++n}`, cspNonce: () => `nonce${n}` };

  it('draws a page once for the same values and gives each request its own token and nonce', () => {
    const cache = new PageCache(true);
    const r = renderer();
    const values = { text: 'walking', form: true };
    const first = cache.draw(template, values, r.render(values), fill);
    const second = cache.draw(template, { ...values }, r.render(values), fill);
    expect(r.draws()).toBe(1);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^<p>walking<\/p><input value="token\d+"><script nonce="nonce\d+"><\/script>$/);
    expect(second).toMatch(/^<p>walking<\/p><input value="token\d+"><script nonce="nonce\d+"><\/script>$/);
  });

  it('draws again when any value changes, and makes no CSRF token for a page without a form', () => {
    const cache = new PageCache(true);
    const r = renderer();
    cache.draw(template, { text: 'a' }, r.render({ text: 'a' }), fill);
    let made = 0;
    const html = cache.draw(template, { text: 'b' }, r.render({ text: 'b' }), { ...fill, csrfToken: () => `t${++made}` });
    expect(r.draws()).toBe(2);
    expect(made).toBe(0);
    expect(html).toContain('<p>b</p>');
  });

  it('keeps nothing for values that are not plain data, or when switched off', () => {
    const r = renderer();
    const withFunction = { text: 'a', helper: () => 1 };
    const cache = new PageCache(true);
    cache.draw(template, withFunction, r.render(withFunction), fill);
    cache.draw(template, withFunction, r.render(withFunction), fill);
    expect(r.draws()).toBe(2);
    const off = new PageCache(false);
    off.draw(template, { text: 'a' }, r.render({ text: 'a' }), fill);
    off.draw(template, { text: 'a' }, r.render({ text: 'a' }), fill);
    expect(r.draws()).toBe(4);
  });
});
