import crypto from 'node:crypto';
import type { Queryable } from '../../../platform/db/database.ts';

/** Organisations the demo users belong to. */
export type DemoAnchors = { partnership: string; council: string; pcn: string; gpPractice: string; charity: string };

// PLACEHOLDER: the full generated demo directory replaces this.
export async function loadDemoDirectory(db: Queryable): Promise<DemoAnchors> {
  const make = async (name: string, kind: string) => {
    const id = crypto.randomUUID();
    await db.query('insert into organisations (id, name, kind) values ($1, $2, $3)', [id, name, kind]);
    return id;
  };
  return {
    partnership: await make('Wyndale Health and Care Partnership', 'partnership'),
    council: await make('Wyndale Borough Council', 'council'),
    pcn: await make('Wyndale Central PCN', 'pcn'),
    gpPractice: await make('Millbrook Surgery', 'gp_practice'),
    charity: await make('Wyndale Age Concern', 'charity'),
  };
}
