import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { capital, dateField, many, money, optionalDate, optionalMoney, optionalText, pathId, text, uuid } from './form-fields.ts';

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('form fields shared by the modules', () => {
  it('text is trimmed and required, and says what to enter', () => {
    expect(text('the fund name', 10).parse('  Walks  ')).toBe('Walks');
    expect(messages(text('the fund name', 10), '   ')).toEqual(['Enter the fund name']);
    expect(messages(text('the fund name', 10), undefined)).toEqual(['Enter the fund name']);
    expect(messages(text('the fund name', 3), 'Walks')).toEqual(['Fund name must be 3 characters or fewer']);
    expect(optionalText('a note', 5).parse(undefined)).toBe('');
    expect(optionalText('a note', 5).parse(' hi ')).toBe('hi');
    expect(messages(optionalText('a note', 2), 'hello')).toEqual(['Note must be 2 characters or fewer']);
    expect(capital('an award')).toBe('Award');
  });

  it('money is pounds and pence in, whole pence out; blank optional money is absent', () => {
    expect(money('The amount').parse('£1,234.56')).toBe(123456);
    expect(messages(money('The amount'), '12.345')).toEqual(['The amount can have at most 2 digits after the decimal point (pence)']);
    expect(messages(money('The amount'), '')).toEqual(['Enter the amount']);
    expect(optionalMoney('The amount').parse('')).toBeUndefined();
    expect(optionalMoney('The amount').parse('5')).toBe(500);
  });

  it('dates must be real; ids must be uuids', () => {
    expect(dateField('the start date').parse('2026-02-28')).toBe('2026-02-28');
    expect(messages(dateField('the start date'), '2026-02-30')).toEqual(['Start date must be a real date, like 2026-03-27']);
    expect(optionalDate('the start date').parse('')).toBeUndefined();
    expect(messages(uuid('Choose a fund'), 'nope')).toEqual(['Choose a fund']);
    expect(pathId('fund').safeParse('0b7c6a1e-3f1d-4c55-9a57-2f0f1b0d9e21').success).toBe(true);
    expect(pathId('fund').safeParse('42').success).toBe(false);
  });

  it('checkboxes give a list whether none, one or several were ticked', () => {
    const ticks = many(z.enum(['a', 'b']));
    expect(ticks.parse(undefined)).toEqual([]);
    expect(ticks.parse('a')).toEqual(['a']);
    expect(ticks.parse(['a', 'b'])).toEqual(['a', 'b']);
    expect(messages(many(z.enum(['a', 'b']), 1), ['a', 'b'])).toHaveLength(1);
  });
});
