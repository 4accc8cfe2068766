/** The directory: organisations, services, places, times and needs; Open Referral UK 3.0. */
export { directoryModule } from './directory.module.ts';
export { needs } from './needs-taxonomy.ts';
export { normalisePostcode } from './postcodes/postcode.ts';
export { SearchQuerySchema } from './search/search.schemas.ts';
export { getOrganisationDetail, getServiceDetail, searchServices } from './search/search.service.ts';
