import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { drawChart } from '../../../platform/charts.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canUseInsight } from '../insight.policy.ts';
import type { InsightModuleContext } from '../insight.context.ts';
import { filterChoices } from '../analysis/analysis.service.ts';
import { ageBands, financialYearLabel, settings } from '../settings.ts';
import { ChangeForm } from './changes.schemas.ts';
import { changeChoices, testChange, type ChangeReport } from './changes.service.ts';

const outcomeNames = { cost: 'Cost per person (£)', events: 'Contacts and events per person', emergency_admissions: 'Emergency admissions per person' } as const;

export function registerChangeRoutes(appBase: FastifyInstance, { db }: AppContext, insight: InsightModuleContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const analyst = allow(canUseInsight);

  async function renderForm(reply: FastifyReply, actor: Actor, values: Record<string, unknown> = {}, errors?: FieldError[], report?: ChangeReport) {
    const { organisations } = await changeChoices(db, actor);
    const { years } = await filterChoices(await insight.store());
    let chart: string | null = null;
    if (report?.shown) {
      const cost = report.outcomes.find((o) => o.outcome === 'cost')!;
      chart = await drawChart({
        title: `Cost per person, ${report.months} months before and after`,
        description: `Cohort: £${Math.round(cost.cohortBefore)} before, £${Math.round(cost.cohortAfter)} after. Comparison group: £${Math.round(cost.comparisonBefore)} before, £${Math.round(cost.comparisonAfter)} after.`,
        spec: {
          data: { values: [
            { group: 'Cohort', period: 'Before', cost: cost.cohortBefore }, { group: 'Cohort', period: 'After', cost: cost.cohortAfter },
            { group: 'Matched comparison', period: 'Before', cost: cost.comparisonBefore }, { group: 'Matched comparison', period: 'After', cost: cost.comparisonAfter },
          ] },
          mark: { type: 'line', point: true },
          encoding: { x: { field: 'period', type: 'ordinal', sort: ['Before', 'After'], title: null, axis: { labelAngle: 0 } }, y: { field: 'cost', type: 'quantitative', title: 'Cost per person (£)' }, color: { field: 'group', type: 'nominal', title: null } },
          width: 420,
          height: 260,
        },
      });
    }
    return reply.status(errors ? 422 : 200).page('insight/change.njk', {
      title: 'Test a change',
      backHref: '/insight',
      width: 'full',
      organisations: [{ value: '', text: 'Choose…' }, { value: 'all', text: 'Any organisation (everyone referred on)', selected: values.organisationId === 'all' }, ...organisations.map((o) => ({ value: o.id, text: `${o.name} (${o.people} ${o.people === 1 ? 'person' : 'people'})`, selected: values.organisationId === o.id }))],
      years: [{ value: '', text: 'Choose…' }, ...years.map((y) => ({ value: y, text: financialYearLabel(y), selected: String(values.year) === String(y) }))],
      settings: [{ value: '', text: 'Choose…' }, ...Object.entries(settings).map(([code, s]) => ({ value: code, text: s.name, selected: values.setting === code }))],
      ageBands: [{ value: '', text: 'All ages' }, ...ageBands.map((b) => ({ value: b, text: b, selected: values.ageBand === b }))],
      values: { source: 'organisation', months: '12', ...values },
      errors,
      report: report && {
        ...report,
        outcomes: report.outcomes.map((o) => ({ ...o, name: outcomeNames[o.outcome], money: o.outcome === 'cost' })),
      },
      chart,
      smallNumber: insight.smallNumber,
    });
  }

  app.get('/insight/test-of-change', { preHandler: analyst, schema: { hide: true } }, async (request, reply) => renderForm(reply, actorOf(request)));

  app.post('/insight/test-of-change', { preHandler: analyst, schema: { hide: true } }, (request, reply) => {
    const actor = actorOf(request);
    const input = formBody(request);
    return submitForm(reply, {
      schema: ChangeForm,
      input,
      save: async (form) => testChange(await insight.store(), db, actor, insight.loader(actor, request.ip), form, request.ip, insight.smallNumber),
      redisplay: (errors) => renderForm(reply, actor, input, errors),
      done: (report) => ({ show: () => renderForm(reply, actor, input, undefined, report) }),
    });
  });
}
