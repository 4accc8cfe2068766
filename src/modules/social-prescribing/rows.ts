/** Database rows come back snake_case; the module's repositories hand on camelCase objects. */
const camelKey = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function camelRow<T>(row: object): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camelKey(k), v])) as T;
}

export function camelRows<T>(rows: object[]): T[] {
  return rows.map((r) => camelRow<T>(r));
}
