/** The email outbox: every message Common Ground did not send, for partnership admins to send another way. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerMessageRoutes } from './messages/messages.routes.ts';
import { waitingCount } from './messages/messages.service.ts';
import { canReadOutbox } from './outbox.policy.ts';

export const outboxModule: AppModule = {
  name: 'outbox',
  viewsDirs: moduleViews(import.meta.dirname),
  // The number waiting shows in the admin's navigation, so unsent mail is not missed.
  navigation: async (actor, { db }) => {
    if (!canReadOutbox(actor)) return [];
    const waiting = await waitingCount(db, actor);
    return [{ href: '/admin/outbox', text: waiting ? `Email outbox (${waiting})` : 'Email outbox' }];
  },
  // The home page's "what needs me": email waiting to be sent another way.
  needsMe: async (actor, { db }) => {
    const waiting = await waitingCount(db, actor);
    return [{ count: waiting, title: waiting === 1 ? 'Email not sent' : 'Emails not sent', href: '/admin/outbox', description: 'Email is off or a mail server refused them: send each another way.' }];
  },
  register(app, context) {
    registerMessageRoutes(app, context);
  },
};
