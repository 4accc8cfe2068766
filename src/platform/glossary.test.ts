import { describe, expect, it } from 'vitest';
import { markAcronyms } from './glossary.ts';

describe('marking acronyms', () => {
  it('wraps known terms in <abbr> with their meaning', () => {
    expect(markAcronyms('Ask your PCN link worker')).toBe('Ask your <abbr title="Primary Care Network">PCN</abbr> link worker');
  });

  it('escapes HTML in the text, so user text cannot inject markup', () => {
    expect(markAcronyms('<script>alert(1)</script> GP')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <abbr title="general practitioner">GP</abbr>');
  });

  it('leaves parts of longer words alone', () => {
    expect(markAcronyms('GPS and ICSE and NHSmail')).toBe('GPS and ICSE and NHSmail');
  });

  it('handles terms with an ampersand and blank values', () => {
    expect(markAcronyms('Go to A&E')).toBe('Go to <abbr title="Accident and Emergency">A&amp;E</abbr>');
    expect(markAcronyms(null)).toBe('');
  });
});
