import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import { ChangeParams, GrantParams } from '../grants.schemas.ts';
import { grantForm } from '../grant-page/grant-page.routes.ts';
import { DecideForm, ExtendForm, MoveForm } from './changes.schemas.ts';
import { decideChange, requestExtension, requestMove } from './changes.service.ts';

export function registerChangesRoutes(app: FastifyInstance, { db }: AppContext) {
  grantForm(app, db, '/grants/:grantId/changes/move', GrantParams, {
    schema: MoveForm,
    save: (actor, request, form) => requestMove(db, actor, request.params.grantId, form, request.ip),
    flash: () => 'Request sent to the fund’s grants managers.',
    section: 'changes',
    anchor: () => (field) => (field === 'form' ? 'fromLineId' : field),
  });
  grantForm(app, db, '/grants/:grantId/changes/extend', GrantParams, {
    schema: ExtendForm,
    save: (actor, request, form) => requestExtension(db, actor, request.params.grantId, form, request.ip),
    flash: () => 'Request sent to the fund’s grants managers.',
    section: 'changes',
    anchor: () => (field) => (field === 'reason' ? 'extendReason' : field === 'form' ? 'newEndOn' : field),
  });
  grantForm(app, db, '/grants/:grantId/changes/:changeId/decide', ChangeParams, {
    schema: DecideForm,
    save: (actor, request, form) => decideChange(db, actor, request.params.grantId, request.params.changeId, form, request.ip),
    flash: (result) =>
      result === 'approved' ? 'Change approved: the budget’s new version is kept below.' : result === 'declined' ? 'Change declined. The grantee sees your reason.' : 'First approval given. This change is beyond the fund’s late-move limits, so a second grants manager must approve it too.',
    section: 'changes',
    anchor: (request) => (field) => (field === 'closed' ? field : `${field === 'form' ? 'decision' : field}-${request.params.changeId}`),
  });
}
