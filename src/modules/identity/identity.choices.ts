/** The organisation and role choices the invitation and role forms offer. */
import type { Queryable } from '../../platform/db/database.ts';
import { roleNames, roles } from '../../platform/actor.ts';
import { organisationChoices } from './identity.repository.ts';

export const roleChoices = roles.map((value) => ({ value, text: roleNames[value] }));

/** The organisation select's items (organisations merged into another are not offered). */
export async function organisationItems(db: Queryable, selected?: unknown) {
  const choices = await organisationChoices(db);
  return [{ value: '', text: 'Select an organisation' }, ...choices.map((o) => ({ value: o.id, text: o.name, selected: o.id === selected }))];
}
