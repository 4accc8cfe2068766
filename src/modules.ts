import type { AppModule } from './platform/http/app.ts';
import { siteModule } from './platform/http/site.ts';
import { identityModule } from './modules/identity/index.ts';
import { directoryModule } from './modules/directory/index.ts';
import { auditLogModule } from './modules/audit-log/index.ts';
import { socialPrescribingModule } from './modules/social-prescribing/index.ts';
import { innovationModule } from './modules/innovation/index.ts';
import { outboxModule } from './modules/outbox/index.ts';
import { grantsModule } from './modules/grants/index.ts';
import { informationSharingModule } from './modules/information-sharing/index.ts';
import { insightModule } from './modules/insight/index.ts';

/** Every module the application serves, in the order their navigation appears. */
export const modules: AppModule[] = [siteModule, directoryModule, identityModule, auditLogModule, outboxModule, innovationModule, grantsModule, socialPrescribingModule, informationSharingModule, insightModule];
