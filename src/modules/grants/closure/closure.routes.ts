import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf } from '../../../platform/http/access.ts';
import { GrantParams } from '../grants.schemas.ts';
import { NoFields } from '../../../platform/form-fields.ts';
import { forGrantUsers, grantForm } from '../grant-page/grant-page.routes.ts';
import { ChecklistForm, CommentForm, SignForm, VersionForm } from './closure.schemas.ts';
import { closeGrant, commentOnLetter, draftLetter, letterAsPdf, reviseLetter, saveChecklist, signLetter } from './closure.service.ts';

export function registerClosureRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  grantForm(app, db, '/grants/:grantId/closure', GrantParams, {
    schema: ChecklistForm,
    save: (actor, request, form) => saveChecklist(db, actor, request.params.grantId, form, request.ip),
    flash: () => 'Closure checklist saved.',
    section: 'closure',
    anchor: () => (field) => (field === 'form' ? 'finalReportReviewed' : field),
  });
  grantForm(app, db, '/grants/:grantId/letter', GrantParams, {
    schema: NoFields,
    save: (actor, request) => draftLetter(db, actor, request.params.grantId, request.ip),
    flash: () => 'Closure letter drafted from the fund’s template. The grantee can now read it, comment and suggest edits.',
    section: 'letter',
    anchor: () => 'letter',
  });
  grantForm(app, db, '/grants/:grantId/letter/comments', GrantParams, {
    schema: CommentForm,
    save: (actor, request, form) => commentOnLetter(db, actor, request.params.grantId, form, request.ip),
    flash: () => 'Comment added.',
    section: 'letter',
    anchor: () => (field) => (field === 'form' ? 'comment' : field),
  });
  grantForm(app, db, '/grants/:grantId/letter/versions', GrantParams, {
    schema: VersionForm,
    save: (actor, request, form) => reviseLetter(db, actor, request.params.grantId, form, request.ip),
    flash: () => 'New version saved. Signatures on earlier versions no longer count: both parties sign this one.',
    section: 'letter',
    anchor: () => (field) => (field === 'form' ? 'body' : field),
  });
  grantForm(app, db, '/grants/:grantId/letter/signatures', GrantParams, {
    schema: SignForm,
    save: async (actor, request, form) => {
      await signLetter(db, actor, request.params.grantId, form, request.ip);
      return form;
    },
    flash: (form) => `Signed for the ${form.party}.`,
    section: 'letter',
    anchor: () => (field) => (field === 'form' || field === 'fingerprint' ? 'typedName' : field),
  });
  grantForm(app, db, '/grants/:grantId/close', GrantParams, {
    schema: NoFields,
    save: (actor, request) => closeGrant(db, actor, request.params.grantId, request.ip),
    flash: () => 'Grant closed.',
    section: 'closure',
    anchor: () => 'close',
  });

  app.get('/grants/:grantId/letter.pdf', { preHandler: forGrantUsers, schema: { hide: true, params: GrantParams } }, async (request, reply) => {
    const { pdf, filename } = await letterAsPdf(db, actorOf(request), request.params.grantId, request.ip);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
  });
}
