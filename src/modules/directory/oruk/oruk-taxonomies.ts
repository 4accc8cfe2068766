import type { DeliveryMode } from '../directory.types.ts';

/**
 * Stable ids of the taxonomies that carry our delivery modes and "free of charge" as Open Referral
 * UK attributes (migration 0030 loads exactly these). Other systems keep them, so they never change.
 */
export const DELIVERY_TAXONOMY_ID = '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0001';
export const COST_TAXONOMY_ID = '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0002';
export const IMPORTED_TERMS_TAXONOMY_ID = '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c0003';

export const deliveryTermIds: Record<DeliveryMode, string> = {
  in_person: '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1001',
  online: '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1002',
  phone: '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c1003',
};
export const FREE_TERM_ID = '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c2001';
export const CHARGE_TERM_ID = '7d1e5b63-9d2f-4c8b-8e1f-3b7a4f2c2002';

export const deliveryModeByTermId = new Map(Object.entries(deliveryTermIds).map(([mode, id]) => [id, mode as DeliveryMode]));
