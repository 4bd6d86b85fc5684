// The loft room's door: the LOFT client (HTTP and in-memory), the built-in sandbox, the product
// catalog and the showrooms.
export type * from './types.ts';
export { orderStatusLabels } from './types.ts';
export {
  createLoftHttpClient,
  loftMessages,
  parseRetryAfter,
  type LoftCallInfo,
  type LoftCallName,
  type LoftCallOutcome,
  type LoftHttpClientOptions,
  type LoftLogger,
} from './http-client.ts';
export { createMemoryLoftClient, type LoftFailureCode, type MemoryLoftClient, type MemoryLoftData } from './memory-client.ts';
export { registerLoftSandbox, loftSandboxPrefix, type LoftSandboxOptions } from './sandbox.ts';
export { createInjectFetch, createSandboxLoftClient } from './inject-fetch.ts';
export {
  createSandboxCatalog,
  categoryFromText,
  categoryLabel,
  isProductCategory,
  resolveCategory,
} from './catalog.ts';
export { products, benefitPlanFor } from './catalog-data.ts';
export { showrooms, findShowroom } from './showrooms.ts';
export { isBenefitPlan, parseLoftDate, parseMoney, round2 } from './parse.ts';
