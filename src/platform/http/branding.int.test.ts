import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInAs } from '../../../test/support/kit.ts';
import { buildPartnership, loneliness, personFields } from '../../../test/support/social-prescribing.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { nationVocabulary, useNation } from '../nation.ts';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-logo-'));
const png = path.join(folder, 'logo.png');
// A 1×1 transparent PNG.
fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const text = path.join(folder, 'logo.png.txt');
fs.writeFileSync(text, 'not a picture');
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('whose service this is', () => {
  it('shows no NHS logo or NHS font by default, and names the partnership and service', async () => {
    const t = await createTestApp({ PARTNERSHIP_NAME: 'Glenmore Health and Social Care Partnership', SERVICE_NAME: 'Glenmore Connects' });
    try {
      const page = await t.app.inject('/');
      expect(page.body).not.toContain('nhsuk-header__logo');
      expect(page.body).not.toMatch(/aria-label="NHS/);
      expect(page.body).toContain('Glenmore Connects');
      expect(page.body).toContain('Glenmore Health and Social Care Partnership');
      expect(page.body).not.toContain('/assets/images/favicon');
      const css = await t.app.inject('/nhsuk/nhsuk-frontend.min.css');
      expect(css.statusCode).toBe(200);
      expect(css.body).toContain('.nhsuk-header');
      expect(css.body).not.toMatch(/https?:\/\//);
      expect(css.body).not.toContain('Frutiger');
      expect(css.body).toContain('font-family:arial,sans-serif');
    } finally {
      await t.close();
    }
  });

  it("serves the partnership's own logo in the header", async () => {
    const t = await createTestApp({ PARTNERSHIP_LOGO: png, PARTNERSHIP_NAME: 'Glenmore Partnership' });
    try {
      const page = await t.app.inject('/');
      expect(page.body).toContain('src="/partnership-logo"');
      expect(page.body).toContain('alt="Glenmore Partnership"');
      const logo = await t.app.inject('/partnership-logo');
      expect(logo.statusCode).toBe(200);
      expect(logo.headers['content-type']).toBe('image/png');
    } finally {
      await t.close();
    }
  });

  it('stops start-up with a clear message when the logo is missing or not an image', () => {
    expect(() => loadConfig({ PARTNERSHIP_LOGO: path.join(folder, 'missing.png') })).toThrow(ConfigError);
    expect(() => loadConfig({ PARTNERSHIP_LOGO: path.join(folder, 'missing.png') })).toThrow(/PARTNERSHIP_LOGO names .*missing\.png, but there is no file there/);
    expect(() => loadConfig({ PARTNERSHIP_LOGO: text })).toThrow(/PARTNERSHIP_LOGO \(.*\) is not an image\. Use a PNG, JPEG, GIF, WebP or SVG file/);
    expect(() => loadConfig({ PARTNERSHIP_LOGO: folder })).toThrow(/is a folder, not an image file/);
  });

  it('refuses an unknown nation, naming the values it takes', () => {
    expect(() => loadConfig({ NATION: 'cornwall' })).toThrow(ConfigError);
    expect(() => loadConfig({ NATION: 'cornwall' })).toThrow(/NATION must be one of england, wales, scotland, northern-ireland/);
  });

  it("uses the configured nation's identifier, its check and its structures' names on pages (Scotland)", async () => {
    const t = await createTestApp({ NATION: 'scotland' });
    try {
      expect(nationVocabulary().personId.name).toBe('CHI number');
      const w = await buildPartnership(t);
      const gp = await signedInAs(t, w.gpStaff);
      const form = await gp.get('/social-prescribing/refer');
      expect(form.body).toContain('CHI number (optional)');
      expect(form.body).toContain('starting with the date of birth as DDMMYY');
      expect(form.body).toContain('person’s locality will contact them');
      expect(form.body).not.toContain('NHS number');
      const refer = (chi: string) => gp.postForm('/social-prescribing/refer', { ...personFields({ nhsNumber: chi, givenName: 'Morag' }), gpPracticeId: w.practice.id, reasons: [loneliness], consentToContact: 'yes' });
      // An English NHS number passes modulus 11 but does not start with a date of birth.
      const english = await refer('943 476 5919');
      expect(english.statusCode).toBe(422);
      expect(english.body).toContain('Enter a valid CHI number: it starts with the date of birth (DDMMYY)');
      expect((await refer('010170 1233')).statusCode).toBe(303);
      expect((await t.app.inject('/glossary')).body).toContain('Community Health Index');
    } finally {
      await t.close();
      useNation('england');
    }
  });
});
