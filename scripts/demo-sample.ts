/**
 * The sample `npm run demo` runs on by default (`--customers`, `--fortnox`, `--seed`). Its outcome
 * must equal the sample's known truth; test/testing/sample-source.test.ts checks this one.
 */
export const DEMO_SAMPLE = { sourceCustomers: 2000, fortnoxCustomers: 1500, seed: 1 } as const;
