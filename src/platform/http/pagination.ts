/** Reads ?page=: a positive whole number, else the first page. */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return n >= 1 ? n : 1;
}

export type Pagination = {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
};

/**
 * The parameters of the NHS.UK numbered pagination component: first, last, and the pages either side
 * of the current one, with ellipses between. Undefined when everything fits on one page.
 */
export function paginate(total: number, page: number, perPage: number, hrefFor: (page: number) => string): Pagination | undefined {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return undefined;
  const current = Math.min(page, pages);
  const shown = [...new Set([1, current - 1, current, current + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const items: Pagination['items'] = [];
  shown.forEach((p, i) => {
    if (i > 0 && p - shown[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: p, href: hrefFor(p), current: p === current });
  });
  return {
    previous: current > 1 ? { href: hrefFor(current - 1) } : undefined,
    next: current < pages ? { href: hrefFor(current + 1) } : undefined,
    items,
  };
}

/** A link to another page of the same list, keeping the filters. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
