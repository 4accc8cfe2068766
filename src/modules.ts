import type { AppModule } from './platform/http/app.ts';
import { siteModule } from './platform/http/site.ts';
import { identityModule } from './modules/identity/identity.module.ts';
import { directoryModule } from './modules/directory/directory.module.ts';
import { auditLogModule } from './modules/audit-log/audit-log.module.ts';
import { socialPrescribingModule } from './modules/social-prescribing/social-prescribing.module.ts';
import { innovationModule } from './modules/innovation/innovation.module.ts';

/** Every module the application serves, in the order their navigation appears. */
export const modules: AppModule[] = [siteModule, directoryModule, identityModule, auditLogModule, innovationModule, socialPrescribingModule];
