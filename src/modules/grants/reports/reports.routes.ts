import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { GrantParams, ReportParams } from '../grants.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { grantForm } from '../grant-page/grant-page.routes.ts';
import { reportKindNames, RequirementForm, SubmitReportForm } from './reports.schemas.ts';
import { acceptReport, scheduleReport, submitReport } from './reports.service.ts';

export function registerReportsRoutes(app: FastifyInstance, { db }: AppContext) {
  grantForm(app, db, '/grants/:grantId/reports', GrantParams, {
    schema: RequirementForm,
    save: async (actor, request, form) => {
      await scheduleReport(db, actor, request.params.grantId, form, request.ip);
      return form;
    },
    flash: (form) => `${reportKindNames[form.kind]} scheduled for ${form.dueOn}.`,
    section: 'reports',
    anchor: () => (field) => (field === 'form' ? 'kind' : field),
  });
  grantForm(app, db, '/grants/:grantId/reports/:reportId/submit', ReportParams, {
    schema: SubmitReportForm,
    save: (actor, request, form, input) => submitReport(db, actor, request.params.grantId, request.params.reportId, { ...input, narrative: form.narrative }, request.ip),
    flash: () => 'Report submitted. The fund’s grants managers will review it.',
    section: 'reports',
    anchor: () => (field) => (field === 'form' ? 'narrative' : field),
  });
  grantForm(app, db, '/grants/:grantId/reports/:reportId/accept', ReportParams, {
    schema: NoFields,
    save: (actor, request) => acceptReport(db, actor, request.params.grantId, request.params.reportId, request.ip),
    flash: () => 'Report accepted.',
    section: 'reports',
    anchor: (request) => `report-${request.params.reportId}`,
  });
}
