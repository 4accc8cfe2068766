/** The role choices the invitation and role forms offer, as NHS select and radio items (organisations are chosen with the organisation picker). */
import { roleNames, roles } from '../../platform/actor.ts';

export const roleChoices = roles.map((value) => ({ value, text: roleNames[value] }));
