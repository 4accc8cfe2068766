import { describe, expect, it } from 'vitest';
import { suppress } from './suppression.ts';

describe('small-number suppression', () => {
  it('hides figures about fewer than 10 people, and the next smallest in the same group so the total cannot give it away', () => {
    const rows = [
      { band: 'a', group: 'x', people: 4 },
      { band: 'b', group: 'x', people: 12 },
      { band: 'c', group: 'x', people: 30 },
      { band: 'd', group: 'y', people: 50 },
      { band: 'e', group: 'y', people: 60 },
    ];
    const shown = suppress(rows, 10, (r) => r.group);
    expect(shown.map((r) => [r.band, r.suppressed])).toEqual([
      ['a', true],
      ['b', true], // secondary: 46 - 30 - 12 would reveal 4
      ['c', false],
      ['d', false],
      ['e', false],
    ]);
  });

  it('needs no second cell when two are already hidden, and never hides an empty cell', () => {
    const shown = suppress([{ people: 3 }, { people: 5 }, { people: 40 }, { people: 0 }], 10);
    expect(shown.map((r) => r.suppressed)).toEqual([true, true, false, false]);
  });

  it('follows the configured threshold', () => {
    expect(suppress([{ people: 6 }, { people: 7 }], 5).map((r) => r.suppressed)).toEqual([false, false]);
  });
});
