import {
  addCollectedJobs,
  coalesceChange,
  collectedJobsDeclared,
  collectJob,
  ENQUEUE_PARAMETERS,
  markRerun,
} from './postgres-sql-parts.js';

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
  // The hot paths as one round trip each (a function's statements are planned once per connection, but
  // for schedule_item's EXECUTE, planned at each call: graphile-worker's schema is only known then):
  // - schedule_item: an item's graphile-worker job due at the earlier of its waiting job's time and
  //   p_run_at (the item's advisory lock makes the read-then-replace atomic);
  // - enqueue_change: coalesce a change into the outbox and schedule its item (transactional outbox),
  //   in the caller's transaction or, called alone, as one;
  // - complete_entry: write the link, then drop the entry of the delivered version, or bring a newer
  //   one back to pending ('done' | 'superseded').
  // graphile-worker's schema is an argument (storages may share one, and it is chosen per storage).
  // max_attempts 32767 is the most graphile-worker's smallint holds: "never give up" (the engine
  // parks failures itself).
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.schedule_item(p_worker_schema text, p_task text, p_tenant text,
        p_source text, p_job_key text, p_lock text, p_run_at float8)
      RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(p_lock, 0));
      EXECUTE format(
        'SELECT %1$I.add_job($1, json_build_object(''tenantId'', $2::text, ''sourceId'', $3::text),
           run_at := least(to_timestamp($4 / 1000),
             (SELECT jobs.run_at FROM %1$I.jobs WHERE jobs.key = $5 AND jobs.locked_at IS NULL)),
           max_attempts := 32767, job_key := $5, job_key_mode := ''replace'')',
        p_worker_schema)
        USING p_task, p_tenant, p_source, p_run_at, p_job_key;
    END
    $$;
    CREATE OR REPLACE FUNCTION ${s}.enqueue_change(${ENQUEUE_PARAMETERS})
      RETURNS SETOF ${s}.outbox LANGUAGE plpgsql AS $$
    BEGIN
${coalesceChange(s)}
      PERFORM ${s}.schedule_item(p_worker_schema, p_task, p_tenant, p_source, p_job_key, p_lock,
        p_run_at);
    END
    $$;
    CREATE OR REPLACE FUNCTION ${s}.complete_entry(p_tenant text, p_source text, p_version bigint,
        p_link boolean, p_customer_number text, p_fingerprint text, p_origin text,
        p_synced_at bigint, p_now bigint)
      RETURNS text LANGUAGE plpgsql AS $$
    BEGIN
      IF p_link THEN
        INSERT INTO ${s}.links (tenant_id, source_id, customer_number, fingerprint, origin, synced_at)
          VALUES (p_tenant, p_source, p_customer_number, p_fingerprint, p_origin, p_synced_at)
          ON CONFLICT (tenant_id, source_id) DO UPDATE SET
            customer_number = excluded.customer_number, fingerprint = excluded.fingerprint,
            origin = excluded.origin, synced_at = excluded.synced_at;
      END IF;
      DELETE FROM ${s}.outbox WHERE tenant_id = p_tenant AND source_id = p_source
        AND version = p_version;
      IF FOUND THEN
        RETURN 'done';
      END IF;
      UPDATE ${s}.outbox SET state = 'pending', not_before = p_now, updated_at = p_now,
          create_attempted = CASE WHEN p_link THEN false ELSE create_attempted END,
          create_attempted_at = CASE WHEN p_link THEN NULL ELSE create_attempted_at END,
          skip_matching = CASE WHEN p_link THEN false ELSE skip_matching END
        WHERE tenant_id = p_tenant AND source_id = p_source;
      RETURN CASE WHEN FOUND THEN 'superseded' ELSE 'done' END;
    END
    $$;`,
  // A lease's release when the item runs again (scheduled while it ran, or deferred) as one round trip:
  // drop the lease, and if it was still this holder's, schedule the item at the earlier of now (rerun)
  // and p_defer_until. Answers whether the lease was still held (false: taken over, the taker
  // scheduled the item).
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.release_lease(p_tenant text, p_source text, p_token text,
        p_defer_until float8, p_now float8, p_worker_schema text, p_task text, p_job_key text,
        p_lock text)
      RETURNS boolean LANGUAGE plpgsql AS $$
    DECLARE
      v_rerun boolean;
      v_run_at float8;
    BEGIN
      DELETE FROM ${s}.work_leases WHERE tenant_id = p_tenant AND source_id = p_source
        AND token = p_token
        RETURNING rerun INTO v_rerun;
      IF NOT FOUND THEN
        RETURN false;
      END IF;
      v_run_at := least(CASE WHEN v_rerun THEN p_now END, p_defer_until);
      IF v_run_at IS NOT NULL THEN
        PERFORM ${s}.schedule_item(p_worker_schema, p_task, p_tenant, p_source, p_job_key, p_lock,
          v_run_at);
      END IF;
      RETURN true;
    END
    $$;`,
  // The adapter's own enqueue (its own short transaction) of an item being handled (a live lease):
  // the lease is marked `rerun` instead of a second job added, so its holder schedules the item again
  // as it releases (release_lease), once: a save while the item runs or waits parked costs no job, no
  // fetch and no failed claim. The lease row is locked until this commits, so the holder's release
  // sees the mark. A lease row locked by someone else (its release, a heartbeat) is not waited for:
  // the job is added instead, as before (its claim marks the rerun). A host's transaction keeps
  // enqueue_change: the lease row would stay locked until the host commits, and the holder's heartbeat
  // and release would wait for it.
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.enqueue_change_alone(${ENQUEUE_PARAMETERS})
      RETURNS SETOF ${s}.outbox LANGUAGE plpgsql AS $$
    BEGIN
${coalesceChange(s)}
${markRerun(s)}
      IF NOT FOUND THEN
        PERFORM ${s}.schedule_item(p_worker_schema, p_task, p_tenant, p_source, p_job_key, p_lock,
          p_run_at);
      END IF;
    END
    $$;`,
  // The adapter's own enqueue, several saves in one transaction (the outbox's enqueue batches the
  // saves that arrive while an earlier batch is being written): each change coalesced into its row and
  // returned in the order given, a live lease marked `rerun` as in enqueue_change_alone, and the jobs of
  // the other items added by one add_jobs, under each item's schedule lock, due at the earlier of its
  // waiting job's time and p_run_at. One add_jobs is one NOTIFY: Postgres serialises the commits of
  // transactions that notify (a database-wide lock held through the commit's WAL flush), so one job per
  // save capped saves at a few thousand a second whatever the cores. The caller orders the changes by
  // item (same-item changes in their order), so concurrent batches lock rows in one order. A host's
  // transaction holding rows of several customers can still stand in a batch's way, or close a cycle
  // with it: past lock_timeout the batch gives up (55P03) rather than the host, and the caller writes
  // its saves one at a time (enqueue_change_alone).
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.enqueue_changes_alone(p_tenants text[], p_sources text[],
        p_operations text[], p_customers text[], p_nows bigint[], p_skips boolean[],
        p_explicit_skips boolean[], p_worker_schema text, p_task text, p_job_keys text[],
        p_locks text[], p_run_at float8)
      RETURNS SETOF ${s}.outbox LANGUAGE plpgsql SET lock_timeout = '200ms' AS $$
    DECLARE
      c record;
${collectedJobsDeclared}
    BEGIN
      -- First every change coalesced and every item's schedule lock taken, in the order given: the
      -- only waits (another transaction's row or lock). No lease row is locked yet, so a wait here
      -- never holds up a lease's heartbeat or release.
      FOR c IN SELECT * FROM unnest(p_tenants, p_sources, p_operations, p_customers, p_nows, p_skips,
          p_explicit_skips, p_job_keys, p_locks) WITH ORDINALITY
          AS t(tenant, source, operation, customer, now, skip, explicit_skip, job_key, lock_key, n)
          ORDER BY t.n
      LOOP
${coalesceChange(s, 'c.')}
        PERFORM pg_advisory_xact_lock(hashtextextended(c.lock_key, 0));
      END LOOP;
      -- Then a live lease marked rerun (its row skipped, never waited for, when someone holds it), or
      -- the item's job added below.
      FOR c IN SELECT DISTINCT ON (t.job_key) t.tenant, t.source, t.job_key
          FROM unnest(p_tenants, p_sources, p_job_keys) WITH ORDINALITY AS t(tenant, source, job_key, n)
          ORDER BY t.job_key, t.n
      LOOP
${markRerun(s, 'c.')}
        IF NOT FOUND THEN
${collectJob('p_run_at')}
        END IF;
      END LOOP;
      -- Every job's time is read under its item's lock (taken above, held until commit).
${addCollectedJobs}
    END
    $$;`,
  // Lease releases that run their item again (scheduled while it ran: `rerun`; or deferred), several
  // in one transaction (the queue batches those that come together, as the outbox batches saves): each
  // lease dropped as release_lease drops it, and the items to run again added by one add_jobs, under
  // each item's schedule lock, due at the earliest of now (rerun), its deferral and its waiting job's
  // time. Answers, in the order given, whether each lease was still held (false: taken over, the taker
  // scheduled the item). Past lock_timeout (a host's transaction holds a schedule lock) the batch gives
  // up and the caller releases one at a time (release_lease).
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.release_leases(p_tenants text[], p_sources text[],
        p_tokens text[], p_defer_untils float8[], p_now float8, p_worker_schema text, p_task text,
        p_job_keys text[], p_locks text[])
      RETURNS SETOF boolean LANGUAGE plpgsql SET lock_timeout = '200ms' AS $$
    DECLARE
      c record;
      v_rerun boolean;
      v_run_at float8;
${collectedJobsDeclared}
    BEGIN
      FOR c IN SELECT * FROM unnest(p_tenants, p_sources, p_tokens, p_defer_untils, p_job_keys,
          p_locks) WITH ORDINALITY AS t(tenant, source, token, defer_until, job_key, lock_key, n)
          ORDER BY t.n
      LOOP
        DELETE FROM ${s}.work_leases WHERE tenant_id = c.tenant AND source_id = c.source
          AND token = c.token
          RETURNING rerun INTO v_rerun;
        IF NOT FOUND THEN
          RETURN NEXT false;
          CONTINUE;
        END IF;
        v_run_at := least(CASE WHEN v_rerun THEN p_now END, c.defer_until);
        IF v_run_at IS NOT NULL AND NOT c.job_key = ANY (v_keys) THEN
          PERFORM pg_advisory_xact_lock(hashtextextended(c.lock_key, 0));
${collectJob('v_run_at')}
        END IF;
        RETURN NEXT true;
      END LOOP;
${addCollectedJobs}
    END
    $$;`,
];
