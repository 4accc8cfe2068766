import crypto from 'node:crypto';

/*
 * Pages drawn from the same template and values are the same HTML, apart from the two values
 * made for each request: the CSRF token and the CSP nonce. A route whose page is drawn often from
 * values that repeat (the public search page) asks for `reply.page(…, { reuse: true })`: the page
 * is drawn once with a placeholder for each of the two, kept (the most recently used 200 pages),
 * and each request fills in its own. The values are the key, so anything that changes the page
 * (the results, the signed-in person, the navigation, a flash message) draws it again. The CSRF
 * token is only made when the page holds a form that needs it.
 *
 * The placeholders are random for each process, so nothing a visitor types can be taken for one.
 */

const MAX_PAGES = 200;

type Slots = { csrfToken: string; cspNonce: string };

export class PageCache {
  private readonly pages = new Map<string, string>();
  private readonly slots: Slots = { csrfToken: `csrf${crypto.randomBytes(12).toString('hex')}`, cspNonce: `nonce${crypto.randomBytes(12).toString('hex')}` };

  constructor(private readonly enabled: boolean) {}

  /** The page for these values, with this request's token and nonce in place. */
  draw(template: string, values: Record<string, unknown>, render: (slots: Slots) => string, fill: { [K in keyof Slots]: () => string }): string {
    const key = this.enabled ? keyOf(template, values) : null;
    let html = key === null ? undefined : this.pages.get(key);
    if (html === undefined) {
      html = render(this.slots);
      if (key !== null) {
        this.pages.set(key, html);
        if (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
      }
    } else {
      // Most recently used last, so the oldest is dropped first.
      this.pages.delete(key!);
      this.pages.set(key!, html);
    }
    for (const name of Object.keys(this.slots) as (keyof Slots)[]) {
      if (html.includes(this.slots[name])) html = html.replaceAll(this.slots[name], fill[name]());
    }
    return html;
  }
}

/** The values as a key; null (draw afresh, keep nothing) if any is not plain data that JSON shows whole. */
function keyOf(template: string, values: Record<string, unknown>): string | null {
  try {
    return `${template}\u0000${JSON.stringify(values, (_name, value: unknown) => {
      if (typeof value === 'function' || value instanceof Map || value instanceof Set) throw new NotPlain();
      return value;
    })}`;
  } catch (error) {
    if (error instanceof NotPlain) return null;
    throw error;
  }
}

class NotPlain extends Error {}
