import { z } from 'zod';
import { dateFromParts } from '../../../platform/dates.ts';
import { attendanceValues, blank, recordId } from '../social-prescribing.schemas.ts';

/** The secure referral page's address, its forms, and the link worker's actions on a referral. */

/** `/referral/:id/:token`: a malformed id or token is a 404, never a 500. */
export const LinkParams = z.object({ id: recordId, token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export const OnwardParams = z.object({ id: recordId, onwardId: recordId });

/** Attendance on the secure page: how they are getting on, and the day (the NHS date input's three boxes). */
export const LinkAttendanceForm = z
  .object({
    attendance: z.preprocess(blank, z.enum(attendanceValues, { error: 'Select how they are getting on' })),
    'attendanceOn-day': z.unknown(),
    'attendanceOn-month': z.unknown(),
    'attendanceOn-year': z.unknown(),
  })
  .transform((f, ctx) => {
    const on = dateFromParts(f['attendanceOn-day'], f['attendanceOn-month'], f['attendanceOn-year']);
    if (on === null) ctx.addIssue({ code: 'custom', path: ['attendanceOn'], message: 'Enter the date, like 27 3 2026' });
    if (on === 'invalid') ctx.addIssue({ code: 'custom', path: ['attendanceOn'], message: 'The date must be a real date, like 27 3 2026' });
    return { attendance: f.attendance, on: typeof on === 'string' && on !== 'invalid' ? on : '' };
  });

export const DeliveredByHandForm = z.object({ how: z.preprocess(blank, z.enum(['printed', 'phoned'], { error: 'Say how the referral reached the organisation' })) });

/** A button with nothing to fill in (revoke, re-send): only the CSRF token is sent. */
export const NoFields = z.object({});
