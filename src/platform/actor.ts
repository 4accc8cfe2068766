/** Who is making a request. Modules' policies decide what an actor may do. */
export const roles = [
  'partnership_admin',
  'organisation_editor',
  'link_worker',
  'programme_manager',
  'panel_member',
  'analyst',
  'ig_lead',
  'grants_manager',
] as const;
export type Role = (typeof roles)[number];

export const roleNames: Record<Role, string> = {
  partnership_admin: 'Partnership admin',
  organisation_editor: 'Organisation editor',
  link_worker: 'Link worker',
  programme_manager: 'Programme manager',
  panel_member: 'Panel member',
  analyst: 'Analyst',
  ig_lead: 'Information governance lead',
  grants_manager: 'Grants manager',
};

export type Membership = { organisationId: string; organisationName: string; role: Role };

export type Actor = {
  userId: string;
  name: string;
  email: string;
  memberships: Membership[];
  via: 'session' | 'api_token';
  sessionId?: string;
};

export function hasRole(actor: Actor | null | undefined, ...wanted: Role[]): boolean {
  return !!actor && actor.memberships.some((m) => wanted.includes(m.role));
}

export function isAdmin(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin');
}

/** Organisations in which the actor holds one of the roles. */
export function organisationsWithRole(actor: Actor | null | undefined, ...wanted: Role[]): string[] {
  return actor ? actor.memberships.filter((m) => wanted.includes(m.role)).map((m) => m.organisationId) : [];
}
