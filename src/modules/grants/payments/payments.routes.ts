import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { GrantParams, TrancheParams } from '../grants.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { grantForm } from '../grant-page/grant-page.routes.ts';
import { PaidForm, ScheduleForm } from './payments.schemas.ts';
import { approveTranche, recordPayment, releaseTranche, setSchedule } from './payments.service.ts';

export function registerPaymentsRoutes(app: FastifyInstance, { db }: AppContext) {
  grantForm(app, db, '/grants/:grantId/schedule', GrantParams, {
    schema: ScheduleForm,
    save: (actor, request, form) => setSchedule(db, actor, request.params.grantId, form.schedule, request.ip),
    flash: () => 'Payment schedule saved.',
    section: 'payments',
    anchor: () => (field) => (field === 'form' ? 'schedule' : field),
  });
  grantForm(app, db, '/grants/:grantId/tranches/:trancheId/release', TrancheParams, {
    schema: NoFields,
    save: (actor, request) => releaseTranche(db, actor, request.params.grantId, request.params.trancheId, request.ip),
    flash: (to) => (to === 'approved' ? 'Tranche released and approved: record the payment when it is made.' : 'Tranche released. It is above the fund’s threshold, so a second grants manager must approve it.'),
    section: 'payments',
    anchor: (request) => `tranche-${request.params.trancheId}`,
  });
  grantForm(app, db, '/grants/:grantId/tranches/:trancheId/approve', TrancheParams, {
    schema: NoFields,
    save: (actor, request) => approveTranche(db, actor, request.params.grantId, request.params.trancheId, request.ip),
    flash: () => 'Tranche approved.',
    section: 'payments',
    anchor: (request) => `tranche-${request.params.trancheId}`,
  });
  grantForm(app, db, '/grants/:grantId/tranches/:trancheId/paid', TrancheParams, {
    schema: PaidForm,
    save: async (actor, request, form) => {
      await recordPayment(db, actor, request.params.grantId, request.params.trancheId, form, request.ip);
      return form;
    },
    flash: (form) => `Payment recorded, reference ${form.paymentReference}.`,
    section: 'payments',
    anchor: (request) => (field) => (field === 'form' ? `tranche-${request.params.trancheId}` : field.includes('-') || field === 'closed' ? field : `${field}-${request.params.trancheId}`),
  });
}
