/**
 * The old path of createUserWithMembership, kept only for src/demo/demo-partnership.ts,
 * test/support/factories.ts and test/process (outside this module's area). When they import
 * from index.ts, delete this file.
 */
export { createUserWithMembership } from './index.ts';
