import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from './views.ts';

describe('the template environment', () => {
  const env = createViewEnvironment([]);
  const stock = new nunjucks.Environment(null, { autoescape: true });

  it.each([
    ['[{{ s | trim }}]', { s: '  <b>x</b>\n ' }],
    ['[{{ s | safe | trim }}]', { s: '  <b>x</b>\n ' }],
    ['[{% filter trim %}  <p>{{ s }}</p>  {% endfilter %}]', { s: '<i>' }],
    ['[{{ s | trim }}]', { s: '\u00a0\t x \u2003' }],
  ])('trims exactly as Nunjucks does: %s', (template, values) => {
    expect(env.renderString(template, values)).toBe(stock.renderString(template, values));
  });

  it('trims long runs of spaces inside the text, keeping them', () => {
    const inner = `a${' '.repeat(5000)}b`;
    expect(env.renderString('{{ s | safe | trim }}', { s: `\n ${inner} \n` })).toBe(inner);
  });
});
