import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';

/**
 * Hands `record` every statement a `pg` client sends during each test of the file (the adapter's and
 * graphile-worker's go through it): its text, and its prepared statement's name if it has one. The
 * client's `query` is patched before each test and restored after it.
 */
export function recordStatements(record: (text: string, name: string | undefined) => void): void {
  const original = pg.Client.prototype.query;
  beforeEach(() => {
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [first] = args;
      if (typeof first === 'string') record(first, undefined);
      else if (typeof first === 'object' && first !== null && 'text' in first) {
        const config = first as { text: unknown; name?: string };
        record(String(config.text), config.name);
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  });
  afterEach(() => {
    pg.Client.prototype.query = original;
  });
}
