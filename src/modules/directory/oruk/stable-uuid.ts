import crypto from 'node:crypto';

/**
 * A uuid that is always the same for the same parts (shaped like RFC 4122 version 5). Used for
 * things our tables hold inside another record (a location's address, a service's attribute) and
 * for CSV rows without ids, so that exporting or importing twice gives the same ids.
 */
export function stableUuid(...parts: string[]): string {
  const hex = crypto.createHash('sha1').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
