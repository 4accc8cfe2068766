import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { createMailer, type Mail } from '../../../platform/mailer.ts';
import { createTestApp, type TestApp } from '../../../../test/support/kit.ts';
import { aFund, aGrant } from '../../../../test/support/grants.ts';
import { sendReportReminders } from './reports.service.ts';

describe('report reminders', () => {
  let t: TestApp;
  let grantId: string;
  let editorEmail: string;
  beforeAll(async () => {
    t = await createTestApp();
    const s = await aFund(t);
    editorEmail = s.editorUser.email;
    grantId = await aGrant(t, s);
    await s.manager.postForm(`/grants/${grantId}/reports`, { kind: 'progress', dueOn: addDays(ukToday(), 3) });
    await s.manager.postForm(`/grants/${grantId}/reports`, { kind: 'spend_return', dueOn: addDays(ukToday(), -2) });
  });
  afterAll(async () => t.close());

  it('sends each reminder once even when two runs overlap, and records that a mail server took it', async () => {
    const sent: Mail[] = [];
    const mailer = createMailer('smtp://unused', 'Common Ground <no-reply@example.org>', { db: t.db, transport: async (mail) => void sent.push(mail) });
    const now = new Date();
    const [a, b] = await Promise.all([sendReportReminders(t.db, mailer, now, 'https://cg.example.org'), sendReportReminders(t.db, mailer, now, 'https://cg.example.org')]);
    expect(a.sent + b.sent).toBe(2);
    expect(sent.map((m) => m.to)).toEqual([editorEmail, editorEmail]);
    expect(sent.map((m) => m.subject).sort()).toEqual([expect.stringMatching(/^Overdue: spend return for /), expect.stringMatching(/^Progress report due on /)].sort());
    const again = await sendReportReminders(t.db, mailer, now, 'https://cg.example.org');
    expect(again).toEqual({ sent: 0, notSent: 0 });
    const rows = await t.db.query<{ kind: string; before: string | null; overdue: string | null }>(
      'select kind, reminder_before_outcome as before, reminder_overdue_outcome as overdue from grant_reports where grant_id = $1 order by kind',
      [grantId],
    );
    expect(rows).toEqual([{ kind: 'progress', before: 'sent', overdue: null }, { kind: 'spend_return', before: null, overdue: 'sent' }]);
  });

  it('says "not emailed" when no mail server is set, and keeps the message in the outbox', async () => {
    await t.db.query(`update grant_reports set reminder_before_sent_at = null, reminder_before_outcome = null where grant_id = $1`, [grantId]);
    const mailer = createMailer(undefined, 'Common Ground <no-reply@example.org>', { db: t.db });
    expect(await sendReportReminders(t.db, mailer, new Date(), '')).toEqual({ sent: 0, notSent: 1 });
    expect((await t.db.query<{ o: string }>(`select reminder_before_outcome as o from grant_reports where grant_id = $1 and kind = 'progress'`, [grantId]))[0].o).toBe('not_sent');
    expect((await t.db.query('select 1 from outbox')).length).toBeGreaterThan(0);
  });
});
