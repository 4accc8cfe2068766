/**
 * One thing waiting for the signed-in person, for the home page ("what needs me"): a title, where
 * to deal with it, and how many (items with a count of 0 are not shown; no count: a next step).
 * Modules give theirs through `needsMe` on their AppModule.
 */
export type NeedsMeItem = { title: string; href: string; count?: number; description?: string };
