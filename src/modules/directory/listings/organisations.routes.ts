import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, allow, signedIn } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { canCreateOrganisation } from '../directory.policy.ts';
import { organisationKinds } from '../directory.types.ts';
import { IdParams, OrganisationForm } from './listings.schemas.ts';
import { conflictText, formErrorsAnchor, inFieldOrder } from './edit-forms.ts';
import { createOrganisation, organisationDuplicates, organisationForEditing, organisationFormValues, updateOrganisation } from './organisations.service.ts';

/* Pages for adding (admins) and editing (its editors, admins) an organisation. */

const fieldOrder = ['name', 'kind', 'description', 'email', 'website', 'postcode', 'charityNumber', 'companyNumber', 'odsCode'];
const kinds = Object.entries(organisationKinds).map(([value, text]) => ({ value, text }));
const onlyAdminsAdd = 'Only partnership admins can add organisations.';

export function registerOrganisationRoutes(app: FastifyInstance, { db }: AppContext): void {
  const pages = app.withTypeProvider<ZodTypeProvider>();

  const newPage = (values: Record<string, unknown>, errors?: FieldError[]) => ({
    title: 'Add an organisation',
    action: '/directory/organisations/new',
    values,
    errors: errors && inFieldOrder(errors, fieldOrder),
    kinds,
    backHref: '/directory/listings',
  });

  pages.get('/directory/organisations/new', { preHandler: allow(canCreateOrganisation, onlyAdminsAdd), schema: { hide: true } }, async (_request, reply) =>
    reply.page('directory/organisation-form.njk', newPage({})),
  );

  pages.post('/directory/organisations/new', { preHandler: allow(canCreateOrganisation, onlyAdminsAdd), schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: OrganisationForm,
      input,
      save: ({ version: _ignored, ...organisation }) => createOrganisation(db, actorOf(request), organisation),
      redisplay: (errors) => reply.page('directory/organisation-form.njk', newPage(input, errors)),
      done: ({ id }) => ({ redirect: `/directory/organisations/${id}/edit`, flash: 'The organisation has been added.' }),
      anchor: formErrorsAnchor,
    });
  });

  pages.get('/directory/organisations/:id/edit', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const { organisation, version, mergedIntoId, mayMergeDuplicates } = await organisationForEditing(db, actor, id);
    if (mergedIntoId) return reply.redirect(`/directory/organisations/${mergedIntoId}/edit`, 303);
    return reply.page('directory/organisation-form.njk', {
      title: `Edit ${organisation.name}`,
      organisation,
      action: `/directory/organisations/${id}/edit`,
      values: { ...organisationFormValues(organisation), version },
      kinds,
      possibleDuplicates: await organisationDuplicates(db, actor, id),
      mayMergeDuplicates,
      backHref: '/directory/listings',
    });
  });

  pages.post('/directory/organisations/:id/edit', { preHandler: signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const { organisation } = await organisationForEditing(db, actor, id);
    const input = formBody(request);
    return submitForm(reply, {
      schema: OrganisationForm,
      input,
      save: ({ version, ...changes }) => updateOrganisation(db, actor, id, version, changes),
      redisplay: async (errors) => {
        // On a conflict, what happened and the newer version: saving again replaces the other person's changes knowingly.
        const conflict = reply.statusCode === 409;
        const latest = conflict ? (await organisationForEditing(db, actor, id)).version : undefined;
        return reply.page('directory/organisation-form.njk', {
          title: `Edit ${organisation.name}`,
          organisation,
          action: `/directory/organisations/${id}/edit`,
          values: { ...input, ...(latest ? { version: latest } : {}) },
          errors: inFieldOrder(errors, fieldOrder),
          conflict: conflict ? conflictText('organisation') : undefined,
          kinds,
          backHref: '/directory/listings',
        });
      },
      done: () => ({ redirect: `/directory/organisations/${id}/edit`, flash: 'Your changes have been saved.' }),
      anchor: formErrorsAnchor,
    });
  });
}
