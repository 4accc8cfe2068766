import type { Database } from '../platform/db/database.ts';
import type { Role } from '../platform/actor.ts';
import { loadDemoDirectory, type DemoAnchors } from '../modules/directory/index.ts';
import { createUserWithMembership } from '../modules/identity/index.ts';
import { loadDemoProgramme } from '../modules/innovation/index.ts';
import { loadDemoSocialPrescribing } from '../modules/social-prescribing/index.ts';
import { loadDemoGrants } from '../modules/grants/index.ts';

/** Shared by every demo account and printed at start: these accounts hold synthetic data only. */
export const DEMO_PASSWORD = 'demo-password-2026';

export const demoUsers: { name: string; email: string; role: Role; organisation: keyof DemoAnchors }[] = [
  { name: 'Avery Admin', email: 'admin@demo.common-ground.invalid', role: 'partnership_admin', organisation: 'partnership' },
  { name: 'Eden Editor', email: 'editor@demo.common-ground.invalid', role: 'organisation_editor', organisation: 'charity' },
  { name: 'Lee Linkworker', email: 'linkworker@demo.common-ground.invalid', role: 'link_worker', organisation: 'pcn' },
  { name: 'Morgan Manager', email: 'programmes@demo.common-ground.invalid', role: 'programme_manager', organisation: 'partnership' },
  { name: 'Parker Panel', email: 'panel@demo.common-ground.invalid', role: 'panel_member', organisation: 'council' },
  { name: 'Ash Analyst', email: 'analyst@demo.common-ground.invalid', role: 'analyst', organisation: 'council' },
  { name: 'Indra Governance', email: 'ig@demo.common-ground.invalid', role: 'ig_lead', organisation: 'partnership' },
];

/** Loads the synthetic demo partnership: the same on every machine, from a fixed seed. */
export async function loadDemoPartnership(db: Database): Promise<void> {
  const anchors = await loadDemoDirectory(db);
  const userIds = new Map<Role, string>();
  for (const user of demoUsers) {
    userIds.set(
      user.role,
      await createUserWithMembership(db, { name: user.name, email: user.email, password: DEMO_PASSWORD, organisationId: anchors[user.organisation], role: user.role }),
    );
  }
  // Casework needs the demo link worker to exist; the programme is run by the demo manager and panel.
  await loadDemoSocialPrescribing(db, anchors);
  await loadDemoProgramme(db, {
    partnershipId: anchors.partnership,
    managerUserId: userIds.get('programme_manager'),
    panelUserId: userIds.get('panel_member'),
    password: DEMO_PASSWORD,
  });
  // A trust spending out with 28 grants at every stage, and the partnership's community fund.
  await loadDemoGrants(db, { partnership: anchors.partnership, charity: anchors.charity }, DEMO_PASSWORD);
}
