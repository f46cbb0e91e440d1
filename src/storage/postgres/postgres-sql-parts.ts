/*
 * Pieces of SQL that several migrations' functions share (see postgres-migrations.ts). A migration's
 * text must never change once released: change a piece only together with every migration that uses it
 * still unreleased, and compare the texts of the released ones.
 */

/** The parameters of the enqueue functions (migrations 5 and 7). */
export const ENQUEUE_PARAMETERS = `p_tenant text, p_source text, p_operation text,
        p_customer text, p_now bigint, p_skip boolean, p_explicit_skip boolean,
        p_worker_schema text, p_task text, p_job_key text, p_lock text, p_run_at float8`;

/**
 * An enqueue function's coalescing of a change into the outbox row (returned), from the change's
 * values named `${v}tenant`, `${v}source`, … (`p_` the single functions' parameters, `c.` the batch
 * function's row).
 */
export const coalesceChange = (s: string, v = 'p_'): string =>
  `      RETURN QUERY INSERT INTO ${s}.outbox AS o (tenant_id, source_id, operation, customer, version,
          state, attempts, not_before, create_attempted, last_error, skip_matching, enqueued_at,
          updated_at)
        VALUES (${v}tenant, ${v}source, ${v}operation, ${v}customer, nextval('${s}.outbox_versions'),
          'pending', 0, ${v}now, false, NULL, ${v}skip, ${v}now, ${v}now)
        ON CONFLICT (tenant_id, source_id) DO UPDATE SET operation = excluded.operation,
          customer = excluded.customer, version = excluded.version, state = 'pending',
          attempts = 0, not_before = excluded.not_before, last_error = NULL,
          skip_matching = CASE WHEN ${v}explicit_skip THEN excluded.skip_matching
                               ELSE o.skip_matching END,
          updated_at = excluded.updated_at
        RETURNING o.*;`;

/** Marks the live lease of the item `${v}tenant`/`${v}source` `rerun`, unless another holds its row. */
export const markRerun = (s: string, v = 'p_'): string =>
  `      UPDATE ${s}.work_leases SET rerun = true
        WHERE tenant_id = ${v}tenant AND source_id = ${v}source AND ctid IN (SELECT ctid
          FROM ${s}.work_leases WHERE tenant_id = ${v}tenant AND source_id = ${v}source
            AND lease_until >= clock_timestamp() FOR UPDATE SKIP LOCKED);`;

/** The batch functions' collected items (declarations): see {@link collectJob}, {@link addCollectedJobs}. */
export const collectedJobsDeclared = `      v_tenants text[] := '{}';
      v_sources text[] := '{}';
      v_keys text[] := '{}';
      v_run_ats float8[] := '{}';`;

/** Collects the loop row `c`'s item, to be due at `runAt` (epoch ms), for {@link addCollectedJobs}. */
export const collectJob = (runAt: string): string => `          v_tenants := v_tenants || c.tenant;
          v_sources := v_sources || c.source;
          v_keys := v_keys || c.job_key;
          v_run_ats := v_run_ats || ${runAt};`;

/**
 * The batch functions' last step (migrations 8 and 9): the jobs of the items collected in `v_tenants`,
 * `v_sources`, `v_keys` and `v_run_ats` (epoch ms) added by one add_jobs (one NOTIFY), each due at the
 * earlier of its time and its waiting job's (read under the item's schedule lock, which the function
 * took), in the order collected.
 */
export const addCollectedJobs = `      IF cardinality(v_keys) > 0 THEN
        EXECUTE format('SELECT count(*) FROM %1$I.add_jobs(ARRAY(
            SELECT ROW($1, json_build_object(''tenantId'', t.tenant, ''sourceId'', t.source),
              NULL::text, least(to_timestamp(t.run_at / 1000), (SELECT jobs.run_at FROM %1$I.jobs
                WHERE jobs.key = t.job_key AND jobs.locked_at IS NULL)),
              32767::smallint, t.job_key, NULL::smallint, NULL::text[])::%1$I.job_spec
            FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[]) WITH ORDINALITY
              AS t(tenant, source, job_key, run_at, n)
            ORDER BY t.n))', p_worker_schema)
          USING p_task, v_tenants, v_sources, v_keys, v_run_ats;
      END IF;`;
