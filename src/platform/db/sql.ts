/**
 * The one way to build dynamic SQL: the `sql` tagged template from sql-template-tag. Every
 * `${value}` becomes a $n parameter; `join`, `empty` and `raw` compose conditions and lists.
 * `raw` is only for identifiers chosen from a fixed list in code, never for input.
 *
 *   const where = [sql`record_type = ${type}`, from ? sql`at >= ${from}` : empty];
 *   await db.query(sql`select … from audit_log ${whereAll(where)} limit ${limit}`);
 */
import sql, { empty, join, raw, Sql } from 'sql-template-tag';

export { empty, join, raw, sql, Sql };

/** `where a and b …` of the conditions given (empty ones left out), or nothing when none are left. */
export function whereAll(conditions: Sql[]): Sql {
  const present = conditions.filter((c) => c !== empty && c.text.trim() !== '');
  return present.length ? join(present, ' and ', 'where ') : empty;
}
