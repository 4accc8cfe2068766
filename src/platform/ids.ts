/** Any uuid shape PostgreSQL accepts in its canonical form (other systems' ids are not always version 4). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Check an id's shape before it reaches SQL: a malformed uuid makes PostgreSQL throw, and must be a 404. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);
