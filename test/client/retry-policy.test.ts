import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeBackoffDelay,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
} from '../../src/client/index.js';
import { decideRetry, isIdempotentMethod } from '../../src/client/retry-policy.js';

const options = DEFAULT_RETRY_OPTIONS;

describe('computeBackoffDelay', () => {
  it('stays between half and all of the capped exponential delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, r) => {
          const full = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
          const delay = computeBackoffDelay(attempt, options, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(full);
        },
      ),
    );
  });

  it('grows with the attempt number', () => {
    expect(computeBackoffDelay(1, options, () => 1)).toBe(500);
    expect(computeBackoffDelay(2, options, () => 1)).toBe(1000);
    expect(computeBackoffDelay(3, options, () => 0)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('reads delay seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('2026', now)).toBe(2_026_000);
  });
});

describe('decideRetry', () => {
  const random = () => 0.5;
  it('never retries a POST after an ambiguous failure: outcome unknown', () => {
    for (const failure of [
      { type: 'network', sent: true },
      { type: 'timeout' },
      { type: 'server-error', status: 503 },
    ] as const) {
      expect(decideRetry('POST', failure, 1, options, random)).toEqual({
        retry: false,
        outcomeUnknown: true,
      });
    }
  });
  it('retries a POST that was certainly not carried out (429, connection refused)', () => {
    expect(
      decideRetry('POST', { type: 'rate-limited', retryAfterMs: 2000 }, 1, options, random),
    ).toEqual({
      retry: true,
      delayMs: 2000,
    });
    expect(decideRetry('POST', { type: 'network', sent: false }, 1, options, random).retry).toBe(
      true,
    );
  });
  it('retries idempotent methods until the attempts run out', () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      expect(decideRetry(method, { type: 'timeout' }, 1, options, random).retry).toBe(true);
      expect(
        decideRetry(method, { type: 'timeout' }, options.maxAttempts, options, random),
      ).toMatchObject({
        retry: false,
        outcomeUnknown: false,
      });
    }
  });
  it('gives up when Retry-After is longer than maxRetryAfterMs', () => {
    expect(
      decideRetry('GET', { type: 'rate-limited', retryAfterMs: 120_000 }, 1, options, random),
    ).toEqual({
      retry: false,
      outcomeUnknown: false,
      delayMs: 120_000,
    });
  });
  it('backs a 429 without Retry-After off from twice the base delay', () => {
    const decision = decideRetry(
      'GET',
      { type: 'rate-limited', retryAfterMs: undefined },
      1,
      options,
      () => 0,
    );
    expect(decision).toEqual({ retry: true, delayMs: 500 });
  });
  it('knows which methods are idempotent', () => {
    expect(['get', 'PUT', 'DELETE', 'HEAD'].every(isIdempotentMethod)).toBe(true);
    expect(isIdempotentMethod('POST')).toBe(false);
  });
});
