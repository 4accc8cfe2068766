import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { forbidden } from '../../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../../platform/http/forms.ts';
import { canCreateOrganisation, canManageDirectory } from '../directory.policy.ts';
import { organisationKinds } from '../directory.types.ts';
import { OrganisationForm } from './listings.schemas.ts';
import { openFlagsFor } from './listings.repository.ts';
import { createOrganisation, organisationForEditing, organisationFormValues, updateOrganisation } from './organisations.service.ts';
import { bodyOf, flashFrom, inFieldOrder, queryOf, signedIn } from './page-helpers.ts';

/* Pages for adding (admins) and editing (its editors, admins) an organisation. */

const fieldOrder = ['name', 'kind', 'description', 'email', 'website', 'postcode', 'charityNumber', 'companyNumber', 'odsCode'];
const kinds = Object.entries(organisationKinds).map(([value, text]) => ({ value, text }));
const CONFLICT = 'Someone else saved changes to this organisation while you were editing it. Your changes have not been saved. Check the details below, then save again to replace theirs.';

export function registerOrganisationRoutes(app: FastifyInstance, { db }: AppContext): void {
  const hide = { schema: { hide: true } };
  const typed = (body: Record<string, unknown>) => {
    const { _csrf, ...values } = body;
    return values;
  };

  app.get('/directory/organisations/new', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    if (!canCreateOrganisation(actor)) throw forbidden('Only partnership admins can add organisations.');
    return reply.page('listings/organisation-form.njk', { title: 'Add an organisation', action: '/directory/organisations/new', values: {}, kinds, backHref: '/directory/listings' });
  });

  app.post('/directory/organisations/new', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    if (!canCreateOrganisation(actor)) throw forbidden('Only partnership admins can add organisations.');
    const body = bodyOf(request);
    const form = validateForm(OrganisationForm, body);
    if (!form.ok) {
      return reply.status(422).page('listings/organisation-form.njk', {
        title: 'Add an organisation',
        action: '/directory/organisations/new',
        values: typed(body),
        errors: inFieldOrder(form.errors, fieldOrder),
        kinds,
        backHref: '/directory/listings',
      });
    }
    const { version: _ignored, ...input } = form.data;
    const result = await createOrganisation(db, actor, input);
    return reply.redirect(`/directory/organisations/${result.ok ? result.id : ''}/edit?done=created`, 303);
  });

  const flash = { created: 'The organisation has been added.', saved: 'Your changes have been saved.' };

  app.get('/directory/organisations/:id/edit', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const { organisation, version, mergedIntoId } = await organisationForEditing(db, actor, id);
    if (mergedIntoId) return reply.redirect(`/directory/organisations/${mergedIntoId}/edit`, 303);
    return reply.page('listings/organisation-form.njk', {
      title: `Edit ${organisation.name}`,
      organisation,
      action: `/directory/organisations/${id}/edit`,
      values: { ...organisationFormValues(organisation), version },
      kinds,
      flash: flashFrom(queryOf(request), flash),
      possibleDuplicates: await openFlagsFor(db, id),
      canManageDirectory: canManageDirectory(actor),
      backHref: '/directory/listings',
    });
  });

  app.post('/directory/organisations/:id/edit', hide, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const { id } = request.params as { id: string };
    const { organisation } = await organisationForEditing(db, actor, id);
    const body = bodyOf(request);
    const show = (status: number, errors: FieldError[], extra: Record<string, unknown> = {}) =>
      reply.status(status).page('listings/organisation-form.njk', {
        title: `Edit ${organisation.name}`,
        organisation,
        action: `/directory/organisations/${id}/edit`,
        values: { ...typed(body), ...extra },
        errors: inFieldOrder(errors, fieldOrder),
        kinds,
        backHref: '/directory/listings',
      });
    const form = validateForm(OrganisationForm, body);
    if (!form.ok) return show(422, form.errors);
    const { version, ...input } = form.data;
    const result = await updateOrganisation(db, actor, id, version, input);
    if (!result.ok) return show(409, [{ field: 'version', message: CONFLICT }], { version: result.version });
    return reply.redirect(`/directory/organisations/${id}/edit?done=saved`, 303);
  });
}
