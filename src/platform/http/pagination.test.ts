import { describe, expect, it } from 'vitest';
import { pageNumber, paginate, withQuery } from './pagination.ts';

describe('pagination', () => {
  it('shows no pagination when everything fits on one page', () => {
    expect(paginate(50, 1, 50, String)).toBeUndefined();
    expect(paginate(0, 1, 50, String)).toBeUndefined();
  });

  it('shows first, last and neighbours of the current page, with ellipses between', () => {
    const p = paginate(500, 5, 50, (n) => `/x?page=${n}`)!;
    expect(p.items).toEqual([
      { number: 1, href: '/x?page=1', current: false },
      { ellipsis: true },
      { number: 4, href: '/x?page=4', current: false },
      { number: 5, href: '/x?page=5', current: true },
      { number: 6, href: '/x?page=6', current: false },
      { ellipsis: true },
      { number: 10, href: '/x?page=10', current: false },
    ]);
    expect(p.previous).toEqual({ href: '/x?page=4' });
    expect(p.next).toEqual({ href: '/x?page=6' });
  });

  it('has no previous link on the first page and no next on the last', () => {
    expect(paginate(120, 1, 50, String)!.previous).toBeUndefined();
    expect(paginate(120, 3, 50, String)!.next).toBeUndefined();
  });

  it('treats a missing or nonsense page number as the first page', () => {
    expect(pageNumber(undefined)).toBe(1);
    expect(pageNumber('abc')).toBe(1);
    expect(pageNumber('0')).toBe(1);
    expect(pageNumber('-2')).toBe(1);
    expect(pageNumber('7')).toBe(7);
  });

  it('keeps filters and drops blank ones in page links', () => {
    expect(withQuery('/admin/audit', { action: 'invited', recordId: '', page: 2 })).toBe('/admin/audit?action=invited&page=2');
    expect(withQuery('/admin/audit', {})).toBe('/admin/audit');
  });
});
