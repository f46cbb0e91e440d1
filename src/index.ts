/**
 * fortnox-sync: keep a business system's customers in sync with Fortnox.
 *
 * Every export is named here on purpose (no `export *`), so the public API is visible in one file.
 * @packageDocumentation
 */

// --- neverthrow, re-exported so users share one copy -------------------------------------------
export { err, errAsync, ok, okAsync, Result, ResultAsync } from 'neverthrow';

// --- fortnox data model (src/fortnox) ---------------------------------------------------------

// --- client (src/client) ------------------------------------------------------------------------

// --- mapping (src/mapping) ----------------------------------------------------------------------

// --- duplicates (src/duplicates) ----------------------------------------------------------------
