import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from '../../../platform/actor.ts';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { organisationPickerFor, pickOrganisation, type OrganisationPicker } from '../../../platform/organisation-picker.ts';
import { canLoadExtracts } from '../insight.policy.ts';
import type { InsightModuleContext } from '../insight.context.ts';
import { settings } from '../settings.ts';
import { layouts, loadKinds } from './layouts.ts';
import { LoadForm, LoadParams, NoFields } from './loads.schemas.ts';
import { allowLoad, listLoads, removeLoad, viewLoad } from './loads.service.ts';
import { runningLoads } from './running-loads.ts';

const kindNames: Record<string, string> = {
  people: 'Person register',
  'unit-costs': 'Unit costs',
  // Only loads made before the one list (information sharing's) have this kind: they stay listed.
  'opt-out': 'National data opt-out list (an earlier upload)',
  ...Object.fromEntries(Object.entries(settings).map(([code, s]) => [code, `Activity: ${s.name}`])),
};

export function registerLoadRoutes(appBase: FastifyInstance, { db }: AppContext, insight: InsightModuleContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const analyst = allow(canLoadExtracts);

  async function renderLoads(reply: FastifyReply, actor: Actor, ip: string, errors?: FieldError[], values: Record<string, unknown> = {}, picker?: OrganisationPicker) {
    const store = await insight.store();
    const loads = await listLoads(store, db, actor, ip);
    return reply.page('insight/loads.njk', {
      title: 'Loads',
      width: 'full',
      backHref: '/insight',
      loads: loads.map((l) => ({ ...l, kindName: kindNames[l.kind] ?? l.kind })),
      running: [...runningLoads.values()].map((r) => ({ ...r, kindName: kindNames[r.kind] ?? r.kind, percent: r.progress() })),
      kinds: loadKinds.map((k) => ({ value: k, text: kindNames[k], selected: values.kind === k })),
      keyNotice: insight.keyNotice(),
      layouts: Object.entries(layouts).map(([kind, l]) => ({ kind: kind === 'activity' ? 'Activity (one file per setting)' : kindNames[kind], required: l.required, optional: l.optional, personId: l.personId })),
      settings: Object.entries(settings).map(([code, s]) => ({ code, ...s })),
      picker: picker ?? (await organisationPickerFor(db, values.partnerOrganisationId)),
      errors,
      values,
    });
  }

  app.get('/insight/loads', { preHandler: analyst, schema: { hide: true } }, async (request, reply) => renderLoads(reply, actorOf(request), request.ip));

  app.post('/insight/loads', { preHandler: analyst, schema: { hide: true } }, async (request, reply) => {
    const actor = actorOf(request);
    const input = formBody(request);
    // The organisation picker: a search without script ("Find", then choose), the autocomplete with it.
    const pick = await pickOrganisation(db, input, 'partnerOrganisationId');
    if (pick.finding || pick.problem) {
      reply.status(pick.problem ? 422 : 200);
      return renderLoads(reply, actor, request.ip, pick.problem ? [pick.problem] : undefined, input, pick.picker);
    }
    return submitForm(reply, {
      schema: LoadForm,
      input,
      save: async (form) => {
        const format = form.file.subarray(0, 4).toString('latin1') === 'PAR1' ? 'parquet' : 'csv';
        const loader = insight.loader(actor, request.ip);
        // Checked before anything is read, so a load no agreement covers is refused on the form (409).
        const allowed = await allowLoad(db, loader, { path: '', fileName: `${form.kind}.${format}`, format, kind: form.kind, partnerOrganisationId: form.partnerOrganisationId });
        const store = await insight.store();
        const id = crypto.randomUUID();
        // Written to a file the store reads; removed once the load ends, whatever happened.
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'insight-load-')), 'extract');
        fs.writeFileSync(file, form.file);
        runningLoads.set(id, { id, kind: form.kind, partner: allowed.partner, startedAt: new Date(), progress: () => store.progress() });
        const done = allowed.run(store, id, file)
          .then(() => runningLoads.delete(id))
          .catch((error: unknown) => {
            runningLoads.set(id, { ...runningLoads.get(id)!, failed: error instanceof Error ? error.message : String(error) });
            request.log.warn({ err: error }, 'insight load failed');
          })
          .finally(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
        void done;
        return { id };
      },
      redisplay: (errors) => renderLoads(reply, actor, request.ip, errors, input, pick.picker),
      done: ({ id }) => ({ redirect: `/insight/loads/${id}` }),
      anchor: (field) => (field === 'form' ? 'load-form' : field),
    });
  });

  app.get('/insight/loads/:id', { preHandler: analyst, schema: { hide: true, params: LoadParams } }, async (request, reply) => {
    const running = runningLoads.get(request.params.id);
    if (running) {
      if (running.failed) runningLoads.delete(request.params.id);
      return reply.page('insight/load.njk', { title: 'Load', backHref: '/insight/loads', running: !running.failed, failed: running.failed, load: { ...running, kindName: kindNames[running.kind] }, percent: running.progress() });
    }
    const load = await viewLoad(await insight.store(), db, actorOf(request), request.params.id, request.ip);
    return reply.status(load.status === 'refused' ? 422 : 200).page('insight/load.njk', { title: 'Load', backHref: '/insight/loads', load: { ...load, kindName: kindNames[load.kind] ?? load.kind } });
  });

  app.get('/insight/loads/:id/report.csv', { preHandler: analyst, schema: { hide: true, params: LoadParams } }, async (request, reply) => {
    const load = await viewLoad(await insight.store(), db, actorOf(request), request.params.id, request.ip);
    const rows = load.problems.flatMap((p) => (p.examples.length ? p.examples.map((e) => [p.problem, p.rows, e.line, e.value ?? '']) : [[p.problem, p.rows, '', '']]));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="load-report-${load.id}.csv"`)
      .send(`\uFEFF${stringify([['Problem', 'Rows with it', 'Example line', 'Example value'], ...rows.map((r) => r.map(spreadsheetSafe))])}`);
  });

  app.post('/insight/loads/:id/remove', { preHandler: analyst, schema: { hide: true, params: LoadParams } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: NoFields,
      input,
      save: async () => removeLoad(await insight.store(), db, actorOf(request), request.params.id, request.ip),
      redisplay: (errors) => renderLoads(reply, actorOf(request), request.ip, errors),
      done: (load) => ({ redirect: '/insight/loads', flash: `Removed the ${kindNames[load.kind] ?? load.kind} load from ${load.partner}, and rebuilt the figures without it.` }),
      anchor: () => 'loads',
    });
  });
}
