import { describe, expect, it } from 'vitest';
import { validateForm } from '../../../platform/http/forms.ts';
import { needs } from '../needs-taxonomy.ts';
import { typedWords } from './search.repository.ts';
import { SearchQuerySchema } from './search.schemas.ts';

const parse = (query: Record<string, unknown>) => validateForm(SearchQuerySchema, query);
const ok = (query: Record<string, unknown>) => {
  const result = parse(query);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.data;
};
const errors = (query: Record<string, unknown>) => {
  const result = parse(query);
  return result.ok ? [] : result.errors;
};

describe('reading a search from a form or URL', () => {
  it('treats blank fields as not given, and starts on page 1', () => {
    expect(ok({ text: '  ', need: '', postcode: '', miles: '', age: '', free: '', day: '', language: '' })).toEqual({ page: 1 });
    expect(ok({})).toEqual({ page: 1 });
  });

  it('trims text and normalises the postcode', () => {
    expect(ok({ text: '  lunch club ', postcode: 'wy12ab' })).toMatchObject({ text: 'lunch club', postcode: 'WY1 2AB' });
  });

  it('takes a need by code or id, and gives its id', () => {
    const dementia = needs.find((n) => n.code === 'dementia')!;
    expect(ok({ need: 'dementia' }).need).toBe(dementia.id);
    expect(ok({ need: dementia.id.toUpperCase() }).need).toBe(dementia.id);
    expect(errors({ need: 'knitting' })).toEqual([{ field: 'need', message: 'Choose a need from the list' }]);
  });

  it('reads numbers strictly: whole years of age, positive miles, pages from 1', () => {
    expect(ok({ age: '67', miles: '2.5', page: '3' })).toMatchObject({ age: 67, miles: 2.5, page: 3 });
    expect(errors({ age: 'abc' })).toEqual([{ field: 'age', message: 'Enter age as a whole number of years, like 67' }]);
    expect(errors({ age: '-1' })).toEqual([{ field: 'age', message: 'Age must be 0 or more' }]);
    expect(errors({ age: '6.5' })).toEqual([{ field: 'age', message: 'Enter age as a whole number of years, like 67' }]);
    expect(errors({ age: '121' })).toEqual([{ field: 'age', message: 'Age must be 120 or less' }]);
    expect(errors({ miles: '-5' })[0].field).toBe('miles');
    expect(errors({ miles: 'far' })[0].field).toBe('miles');
    expect(errors({ page: '0' })[0].field).toBe('page');
  });

  it('reads free of charge as a checkbox or true/false', () => {
    expect(ok({ free: 'true' }).free).toBe(true);
    expect(ok({ free: 'on' }).free).toBe(true);
    expect(ok({ free: 'false' }).free).toBe(false);
    expect(errors({ free: 'maybe' })[0].field).toBe('free');
  });

  it('reads delivery modes repeated or comma-separated, without duplicates', () => {
    expect(ok({ delivery: ['online', 'phone'] }).delivery).toEqual(['online', 'phone']);
    expect(ok({ delivery: 'online,phone,online' }).delivery).toEqual(['online', 'phone']);
    expect(ok({ delivery: 'in-person' }).delivery).toEqual(['in_person']);
    expect(errors({ delivery: 'online,post' })[0]).toEqual({ field: 'delivery', message: 'Choose how the service is given: in person, online or by phone' });
  });

  it('reads a day as a code or a name', () => {
    expect(ok({ day: 'tu' }).day).toBe('TU');
    expect(ok({ day: 'Saturday' }).day).toBe('SA');
    expect(errors({ day: 'Caturday' })[0].field).toBe('day');
  });

  it('gives every wrong field at once, in form order', () => {
    expect(errors({ postcode: 'nowhere', age: 'old', day: 'soon' }).map((e) => e.field)).toEqual(['postcode', 'age', 'day']);
    expect(errors({ postcode: '12345' })).toEqual([{ field: 'postcode', message: 'Enter a real postcode, like WY1 2AB' }]);
  });

  it('takes the first of a repeated single-value parameter', () => {
    expect(ok({ text: ['walking', 'running'] }).text).toBe('walking');
  });
});

describe('typedWords', () => {
  it('keeps words of three letters or more, lower case, once, at most six', () => {
    expect(typedWords('Lunch club, for the over-60s in Wyndale! Lunch')).toEqual(['lunch', 'club', 'for', 'the', 'over', '60s']);
    expect(typedWords('Café Crêpe')).toEqual(['café', 'crêpe']);
    expect(typedWords('a b')).toEqual([]);
  });
});
