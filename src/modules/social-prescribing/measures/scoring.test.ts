import { describe, expect, it } from 'vitest';
import { change, loadedMeasureScore, ons4Band, uclaTotal } from './scoring.ts';

describe('ONS4 bands', () => {
  it('bands life satisfaction, worthwhile and happiness at the ONS thresholds', () => {
    const bands = Array.from({ length: 11 }, (_, s) => ons4Band('life_satisfaction', s));
    expect(bands).toEqual(['Low', 'Low', 'Low', 'Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'Very high', 'Very high']);
    expect(ons4Band('worthwhile', 6)).toBe('Medium');
    expect(ons4Band('happiness', 9)).toBe('Very high');
  });

  it('bands anxiety the other way round', () => {
    const bands = Array.from({ length: 11 }, (_, s) => ons4Band('anxiety', s));
    expect(bands).toEqual(['Very low', 'Very low', 'Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'High', 'High', 'High']);
  });

  it('refuses answers outside 0–10 or not whole', () => {
    expect(() => ons4Band('happiness', 11)).toThrow(RangeError);
    expect(() => ons4Band('happiness', -1)).toThrow(RangeError);
    expect(() => ons4Band('happiness', 5.5)).toThrow(RangeError);
  });
});

describe('UCLA 3-item loneliness total', () => {
  it('adds three answers of 1–3 to a total from 3 to 9', () => {
    expect(uclaTotal([1, 1, 1])).toBe(3);
    expect(uclaTotal([3, 3, 3])).toBe(9);
    expect(uclaTotal([1, 2, 3])).toBe(6);
  });
  it('refuses too few answers or answers out of range', () => {
    expect(() => uclaTotal([1, 2])).toThrow(RangeError);
    expect(() => uclaTotal([0, 2, 3])).toThrow(RangeError);
    expect(() => uclaTotal([1, 2, 4])).toThrow(RangeError);
  });
});

describe('loaded measures', () => {
  const measure = {
    code: 'example',
    name: 'Example scale',
    questions: [
      { text: 'First made-up question', min: 1, max: 5 },
      { text: 'Second made-up question', min: 1, max: 5 },
    ],
    conversion: Array.from({ length: 9 }, (_, i) => ({ raw: i + 2, score: (i + 2) * 1.5 })),
  };
  it('converts the raw total through the loaded table', () => {
    expect(loadedMeasureScore(measure, [2, 3])).toBe(7.5);
  });
  it('uses the raw total when no table is loaded', () => {
    expect(loadedMeasureScore({ ...measure, conversion: [] }, [4, 5])).toBe(9);
  });
  it('refuses answers out of range or the wrong number of answers', () => {
    expect(() => loadedMeasureScore(measure, [6, 1])).toThrow('Answer 1 must be from 1 to 5');
    expect(() => loadedMeasureScore(measure, [1])).toThrow(RangeError);
  });
  it('shows change as later minus earlier', () => {
    expect(change(4, 7)).toBe(3);
    expect(change(9, 6)).toBe(-3);
    expect(change(null, 6)).toBeNull();
  });
});
