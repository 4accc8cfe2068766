import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from './views.ts';

describe('the template environment', () => {
  const env = createViewEnvironment([]);

  it('trims as Nunjucks does: escaped text stays escaped, safe HTML stays safe, nothing is empty', () => {
    expect(env.renderString('[{{ s | trim }}]', { s: '  <b>x</b>\n ' })).toBe('[&lt;b&gt;x&lt;/b&gt;]');
    expect(env.renderString('[{{ s | safe | trim }}]', { s: '  <b>x</b>\n ' })).toBe('[<b>x</b>]');
    expect(env.renderString('[{% filter trim %}  <p>{{ s }}</p>  {% endfilter %}]', { s: '<i>' })).toBe('[<p>&lt;i&gt;</p>]');
    expect(env.renderString('[{{ missing | trim }}]', {})).toBe('[]');
  });

  it('trims long runs of spaces inside the text, keeping them', () => {
    const inner = `a${' '.repeat(5000)}b`;
    expect(env.renderString('{{ s | safe | trim }}', { s: `\n ${inner} \n` })).toBe(inner);
  });
});
