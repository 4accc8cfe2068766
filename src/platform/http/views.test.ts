import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { createViewEnvironment, nhsukDist, plainKey } from './views.ts';

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

describe('NHS.UK components', () => {
  const env = createViewEnvironment([]);
  // Nunjucks as it comes, drawing every call afresh.
  const stock = new nunjucks.Environment(new nunjucks.FileSystemLoader([nhsukDist]), { autoescape: true });
  const page = `{% from "nhsuk/components/input/macro.njk" import input %}{% from "nhsuk/components/select/macro.njk" import select %}
    {% from "nhsuk/components/radios/macro.njk" import radios %}{% from "nhsuk/components/details/macro.njk" import details %}
    {{ input({ label: { text: "Postcode" }, id: "postcode", name: "postcode", value: value, errorMessage: error }) }}
    {{ select({ label: { text: "Distance" }, id: "miles", name: "miles", value: value, items: [{ value: "1", text: "1 mile" }, { value: "5", text: "5 miles" }] }) }}
    {{ radios({ idPrefix: "how", name: "how", items: [{ value: "phone", text: "Phone", checked: value == "phone" }, { value: "visit", text: when }] }) }}
    {% call details({ summaryText: "More" }) %}<p>{{ value }}</p>{% endcall %}
    {{ details({ summaryText: "Safe", html: html }) }}`;
  const cases = [
    { value: '5', error: undefined, when: 'Visit', html: '<p>a</p>' },
    { value: 'phone', error: { text: 'Enter a real postcode' }, when: new Date(Date.UTC(2026, 0, 2)), html: new nunjucks.runtime.SafeString('<p>b</p>') },
    { value: '<script>', error: undefined, when: 'Visit', html: '<p>a</p>' },
    { value: '5', error: undefined, when: 'Visit', html: '<p>a</p>' },
    { value: 'phone', error: { text: 'Enter a real postcode' }, when: 'Visit', html: new nunjucks.runtime.SafeString('<p>b</p>') },
  ];

  it('draw each call exactly as Nunjucks draws it afresh, when the same parameters come again and when they differ', () => {
    for (let round = 0; round < 2; round++) {
      for (const values of cases) expect(env.renderString(page, values)).toBe(stock.renderString(page, values));
    }
  });

  it('are drawn once for parameters that come again', () => {
    const fresh = createViewEnvironment([]);
    const getTemplate = fresh.getTemplate.bind(fresh);
    let drawn = 0;
    fresh.getTemplate = ((name: string, ...rest: unknown[]) => {
      if (name === 'nhsuk/components/button/template.njk') drawn++;
      return (getTemplate as (...a: unknown[]) => unknown)(name, ...rest);
    }) as typeof fresh.getTemplate;
    const button = '{% from "nhsuk/components/button/macro.njk" import button %}{{ button({ text: text }) }}';
    const pages = ['Save', 'Save', 'Send', 'Save'].map((text) => fresh.renderString(button, { text }));
    expect(pages[3]).toBe(pages[0]);
    expect(pages[2]).toContain('Send');
    expect(drawn).toBe(2);
  });

  it('keep apart parameters that write out alike', () => {
    expect(plainKey([{ a: '1' }])).not.toBe(plainKey([{ a: 1 }]));
    expect(plainKey([{ html: '<b>' }])).not.toBe(plainKey([{ html: new nunjucks.runtime.SafeString('<b>') }]));
    expect(plainKey([{ a: null }])).not.toBe(plainKey([{ a: undefined }]));
    expect(plainKey([{ when: new Date() }])).toBeNull();
    expect(plainKey([{ caller: () => 'x' }])).toBeNull();
    expect(plainKey([{ n: Number.NaN }])).toBeNull();
    expect(plainKey([{ text: 'x'.repeat(5000) }])).toBeNull();
  });
});
