/** The organisation and role choices the invitation and role forms offer, as NHS select and radio items. */
import { roleNames, roles } from '../../platform/actor.ts';

export const roleChoices = roles.map((value) => ({ value, text: roleNames[value] }));

/** The organisation select's items, with the one chosen before selected. */
export function organisationItems(organisations: { id: string; name: string }[], selected?: unknown) {
  return [{ value: '', text: 'Select an organisation' }, ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === selected }))];
}
