import type { Database } from '../platform/db/database.ts';
import type { Role } from '../platform/actor.ts';
import { loadDemoDirectory, type DemoAnchors } from '../modules/directory/index.ts';
import { createUserWithMembership } from '../modules/identity/index.ts';
import { loadDemoProgrammes } from '../modules/innovation/index.ts';
import { loadDemoSocialPrescribing } from '../modules/social-prescribing/index.ts';
import { loadDemoSharing } from '../modules/information-sharing/index.ts';

/** Shared by every demo account and printed at start: these accounts hold synthetic data only. */
export const DEMO_PASSWORD = 'demo-password-2026';

export const demoUsers: { name: string; email: string; role: Role; organisation: keyof DemoAnchors }[] = [
  { name: 'Avery Admin', email: 'admin@demo.common-ground.invalid', role: 'partnership_admin', organisation: 'partnership' },
  { name: 'Eden Editor', email: 'editor@demo.common-ground.invalid', role: 'organisation_editor', organisation: 'charity' },
  { name: 'Lee Linkworker', email: 'linkworker@demo.common-ground.invalid', role: 'link_worker', organisation: 'pcn' },
  // A second link worker in the same PCN: the two share the shielding list.
  { name: 'Rowan Reach', email: 'outreach@demo.common-ground.invalid', role: 'link_worker', organisation: 'pcn' },
  { name: 'Morgan Manager', email: 'programmes@demo.common-ground.invalid', role: 'programme_manager', organisation: 'partnership' },
  { name: 'Parker Panel', email: 'panel@demo.common-ground.invalid', role: 'panel_member', organisation: 'council' },
  { name: 'Ash Analyst', email: 'analyst@demo.common-ground.invalid', role: 'analyst', organisation: 'council' },
  { name: 'Indra Governance', email: 'ig@demo.common-ground.invalid', role: 'ig_lead', organisation: 'partnership' },
];

/** Made-up people who keep a few organisations' listings (one of each kind), signed in with the same password. */
const editorNames = ['Rowan Ashworth', 'Tegan Holroyd', 'Imran Sutcliffe', 'Nia Broadbent', 'Callum Priestley', 'Maya Greenwood'];

export const demoEditorCount = editorNames.length;
export const demoEditorEmail = (n: number) => `editor${n + 2}@demo.common-ground.invalid`;

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
  for (const [n, organisation] of anchors.editorOrganisations.entries()) {
    await createUserWithMembership(db, { name: editorNames[n % editorNames.length], email: demoEditorEmail(n), password: DEMO_PASSWORD, organisationId: organisation.id, role: 'organisation_editor' });
  }
  // Casework needs the demo link worker to exist; the programme is run by the demo manager and panel.
  await loadDemoSocialPrescribing(db, anchors);
  // Agreements covering the demo's referrals and outcome summaries, so the demo's journeys are allowed.
  await loadDemoSharing(db, anchors);
  await loadDemoProgrammes(db, {
    partnershipId: anchors.partnership,
    managerUserId: userIds.get('programme_manager'),
    panelUserId: userIds.get('panel_member'),
    password: DEMO_PASSWORD,
  });
}
