import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('imported macros', () => {
  // A folder of templates: a macro file whose top level counts how often it runs, and pages importing it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-views-'));
  fs.writeFileSync(path.join(dir, 'greet.njk'), '{{ counted() }}{% macro greet(name) %}Hello {{ name }}{% endmacro %}');
  fs.writeFileSync(path.join(dir, 'page.njk'), '{% from "greet.njk" import greet %}{{ greet(who) }}');
  fs.writeFileSync(path.join(dir, 'with-context.njk'), '{% from "greet-page.njk" import greetPage with context %}{{ greetPage() }}');
  fs.writeFileSync(path.join(dir, 'greet-page.njk'), '{% macro greetPage() %}Hello {{ who }}{% endmacro %}');
  const env = createViewEnvironment([dir]);
  let runs = 0;
  env.addGlobal('counted', () => void runs++);

  it('are collected once per template, not on every page drawn, and draw the same', () => {
    const pages = ['Asha', 'Ben', 'Asha'].map((who) => env.render('page.njk', { who }));
    expect(pages).toEqual(['Hello Asha', 'Hello Ben', 'Hello Asha']);
    expect(runs).toBe(1);
  });

  it('imported with context still see each page’s own values', () => {
    expect(['Asha', 'Ben'].map((who) => env.render('with-context.njk', { who }))).toEqual(['Hello Asha', 'Hello Ben']);
  });
});
