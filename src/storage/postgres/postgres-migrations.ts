/**
 * The library's tables, one entry per version (`schema_migrations` holds the applied ones). Append,
 * never edit: a schema migrated by an older release runs only the entries after its version. The
 * work queue's own tables belong to graphile-worker, which migrates its schema itself.
 *
 * Moments are epoch milliseconds (`bigint`) like the contract's `EpochMs`, except the lease, rate
 * and token columns, which use the database's clock (`timestamptz`) so that every machine agrees.
 * JSON values are `text`: rows are validated on read, and a damaged one is refused as a whole.
 */
/** The unique index behind `link-conflict` (migration 3); its violations are recognised by this name. */
export const LINKS_ONE_SOURCE_PER_CUSTOMER = 'links_one_source_per_customer';

export const POSTGRES_MIGRATIONS: readonly ((schema: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.tenants (
      tenant_id text PRIMARY KEY,
      connection text NOT NULL,
      reason text,
      updated_at bigint NOT NULL
    );
    CREATE TABLE ${s}.links (
      tenant_id text NOT NULL,
      source_id text NOT NULL,
      customer_number text NOT NULL,
      fingerprint text NOT NULL,
      origin text NOT NULL,
      synced_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, source_id)
    );
    CREATE INDEX links_by_customer_number ON ${s}.links (tenant_id, customer_number);
    CREATE SEQUENCE ${s}.outbox_versions;
    CREATE TABLE ${s}.outbox (
      tenant_id text NOT NULL,
      source_id text NOT NULL,
      operation text NOT NULL,
      customer text,
      version bigint NOT NULL,
      state text NOT NULL,
      attempts integer NOT NULL,
      not_before bigint NOT NULL,
      create_attempted boolean NOT NULL,
      last_error text,
      skip_matching boolean NOT NULL,
      enqueued_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, source_id)
    );
    CREATE INDEX outbox_by_age ON ${s}.outbox (tenant_id, enqueued_at);
    CREATE TABLE ${s}.decisions (
      tenant_id text NOT NULL,
      source_id text NOT NULL,
      candidates text NOT NULL,
      asked_at bigint NOT NULL,
      resolution text,
      resolved_at bigint,
      resolved_by text,
      PRIMARY KEY (tenant_id, source_id)
    );
    CREATE TABLE ${s}.checkpoints (
      tenant_id text NOT NULL,
      key text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (tenant_id, key)
    );
    CREATE TABLE ${s}.work_workers (
      worker_id text PRIMARY KEY,
      seen_at timestamptz NOT NULL
    );
    CREATE TABLE ${s}.work_leases (
      tenant_id text NOT NULL,
      source_id text NOT NULL,
      worker_id text NOT NULL,
      token text NOT NULL,
      lease_until timestamptz NOT NULL,
      rerun boolean NOT NULL DEFAULT false,
      PRIMARY KEY (tenant_id, source_id)
    );
    CREATE INDEX work_leases_by_worker ON ${s}.work_leases (worker_id);
    CREATE TABLE ${s}.rate_slots (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      granted_at timestamptz NOT NULL,
      hold_until timestamptz NOT NULL,
      released_at timestamptz
    );
    CREATE INDEX rate_slots_by_key ON ${s}.rate_slots (key);
    CREATE TABLE ${s}.rate_pauses (
      key text PRIMARY KEY,
      paused_until timestamptz NOT NULL
    );
    CREATE TABLE ${s}.tokens (
      tenant_id text PRIMARY KEY,
      key_id text NOT NULL,
      sealed text NOT NULL,
      updated_at timestamptz NOT NULL
    );`,
  // The rate limiter's grant as one round trip: lock the key, drop the slots out of the window, grant
  // a slot when fewer than the limit are held, or say how long to wait.
  (s) => `
    CREATE FUNCTION ${s}.rate_acquire(p_lock text, p_key text, p_limit integer,
        p_window_ms float8, p_hold_ms float8)
      RETURNS TABLE (slot bigint, wait_ms float8)
      LANGUAGE plpgsql AS $$
    DECLARE
      v_now timestamptz;
      v_held integer;
      v_wait float8;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(p_lock, 0));
      v_now := clock_timestamp();
      DELETE FROM ${s}.rate_slots WHERE key = p_key
        AND coalesce(released_at, hold_until) <= v_now - make_interval(secs => p_window_ms / 1000);
      SELECT extract(epoch FROM paused_until - v_now) * 1000 INTO v_wait
        FROM ${s}.rate_pauses WHERE key = p_key;
      IF v_wait > 0 THEN
        RETURN QUERY SELECT NULL::bigint, v_wait;
        RETURN;
      END IF;
      SELECT count(*) INTO v_held FROM ${s}.rate_slots WHERE key = p_key;
      IF v_held < p_limit THEN
        RETURN QUERY INSERT INTO ${s}.rate_slots AS slots (key, granted_at, hold_until)
          VALUES (p_key, v_now, v_now + make_interval(secs => p_hold_ms / 1000))
          RETURNING slots.id, NULL::float8;
        RETURN;
      END IF;
      SELECT extract(epoch FROM min(released_at) + make_interval(secs => p_window_ms / 1000) - v_now) * 1000
        INTO v_wait FROM ${s}.rate_slots WHERE key = p_key AND released_at IS NOT NULL;
      RETURN QUERY SELECT NULL::bigint, v_wait;
    END
    $$;`,
  // One Fortnox customer is one source customer of a tenant: the database refuses a second link to a
  // customer number (a unique violation the link writes turn into StorageError `link-conflict`), across
  // processes. A schema already holding such links is refused with the reason, not rewritten.
  (s) => `
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM ${s}.links GROUP BY tenant_id, customer_number HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'fortnox-sync migration 3: some Fortnox customer numbers are linked to more than one source customer of a tenant; unlink the extra ones (links table) and start again';
      END IF;
    END
    $$;
    CREATE UNIQUE INDEX ${LINKS_ONE_SOURCE_PER_CUSTOMER} ON ${s}.links (tenant_id, customer_number);
    DROP INDEX ${s}.links_by_customer_number;`,
  // When `create_attempted` was last written (OutboxEntry.createAttemptedAt): the create-settle wait
  // is measured from it, not from `updated_at`, which every save moves. An attempt stored before
  // takes its row's `updated_at`, the moment the wait used until then (never earlier than the
  // attempt). Self-contained (IF NOT EXISTS, a backfill of only the rows still without a moment).
  // A process of an older release still running writes attempts without it: stop those first.
  (s) => `
    ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS create_attempted_at bigint;
    UPDATE ${s}.outbox SET create_attempted_at = updated_at
      WHERE create_attempted AND create_attempted_at IS NULL;`,
];
