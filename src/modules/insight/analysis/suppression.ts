/**
 * Small numbers: no figure about fewer than `smallNumber` people is shown (10 by default, a
 * setting). Where a group's rows add up to a total that is shown, hiding one row alone would let
 * the total give it away, so the next smallest row of the group is hidden too (secondary
 * suppression).
 */
export type Suppressible = { people: number; suppressed?: boolean };

export function suppress<T extends Suppressible>(rows: T[], smallNumber: number, groupOf: (row: T) => string = () => ''): (T & { suppressed: boolean })[] {
  const marked = rows.map((row) => ({ ...row, suppressed: row.people > 0 && row.people < smallNumber }));
  const groups = new Map<string, typeof marked>();
  for (const row of marked) {
    const key = groupOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const group of groups.values()) {
    if (group.filter((r) => r.suppressed).length !== 1) continue;
    const next = group.filter((r) => !r.suppressed && r.people > 0).sort((a, b) => a.people - b.people)[0];
    if (next) next.suppressed = true;
  }
  return marked;
}

/** What a page, chart or download shows for a hidden figure. */
export const suppressedText = (smallNumber: number) => `fewer than ${smallNumber}`;
