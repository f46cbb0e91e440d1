/**
 * `fortnox-sync/testing`: a stateful Fortnox emulator (customers API + OAuth) with a real HTTP server,
 * plus generators of realistic Swedish test customers. It does not import msw: the msw handlers are
 * in `fortnox-sync/testing/msw`. Nor vitest: the storage conformance suites (`describeSyncStorage`,
 * `describeTokenStore`) are in `fortnox-sync/testing/storage-suite`.
 * @packageDocumentation
 */

export { luhnCheckDigit } from '../mapping/luhn.js';
export type {
  CustomerValue,
  EmulatorCustomer,
} from './emulator/customer-record.js';
export {
  createEmulatorCore,
  type EmulatorStats,
  type FortnoxEmulatorCore,
  type IssueTokenOptions,
} from './emulator/emulator-core.js';
export type { EmulatorTenant } from './emulator/emulator-tenant.js';
export type { FaultController, FaultKind, FaultRule } from './emulator/faults.js';
export type { EmulatorServer, ListenOptions } from './emulator/http-server.js';
export {
  DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS,
  DEFAULT_AUTHORIZATION_CODE_LIFETIME_SECONDS,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_CUSTOMER_NUMBER_START,
  DEFAULT_EMULATOR_RATE_LIMIT,
  DEFAULT_HOST,
  DEFAULT_ORIGINS,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
  DEFAULT_SCOPES,
  DEFAULT_TENANT_ID,
  DEFAULT_TOKEN_SECRET,
  type EmulatorClient,
  type FortnoxEmulatorOptions,
  type OAuthOptions,
  type RateLimitOptions,
  type ResolvedFortnoxEmulatorOptions,
  type TenantOptions,
} from './emulator/options.js';
export { createRandom, type Random } from './emulator/prng.js';
export type { RequestLogEntry } from './emulator/request-log.js';
export type { ErrorCasing } from './emulator/responses.js';
export type {
  LatencyMs,
  UpstreamLatency,
  UpstreamLatencyContext,
  UpstreamLatencyOptions,
} from './emulator/upstream-latency.js';
export {
  generateSampleSource,
  SAMPLE_CASE_SHARES,
  type SampleCase,
  type SampleFortnoxCustomer,
  type SampleSource,
  type SampleSourceOptions,
  type SampleTruth,
  seedSampleFortnox,
} from './seed/sample-source.js';
export {
  type SeedCustomer,
  type SeedCustomersOptions,
  type SeedRelation,
  seedCustomers,
  seedCustomersWithRelations,
} from './seed/seed-customers.js';
export { CITIES as SWEDISH_CITIES, type SwedishCity } from './seed/swedish-data.js';
export {
  generateLandlineNumber,
  generateMobileNumber,
  generateOrganisationNumber,
  generatePersonalIdentityNumber,
  generatePostalCode,
  LEGAL_FORM_GROUPS,
} from './seed/swedish-identifiers.js';
