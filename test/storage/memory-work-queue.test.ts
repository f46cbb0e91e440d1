import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/storage/index.js';
import { createMemoryStorage } from '../../src/storage/index.js';

const item = (sourceId: string, tenantId = 't1'): WorkItem => ({ tenantId, sourceId });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('memory work queue', () => {
  it('hands a due item to the handler', async () => {
    const { queue } = createMemoryStorage();
    const seen: string[] = [];
    const done = deferred();
    const run = queue.start(
      async (work) => {
        seen.push(work.sourceId);
        done.resolve();
      },
      { concurrency: 2 },
    );
    await queue.schedule(item('a'));
    await done.promise;
    await run.stop();
    expect(seen).toEqual(['a']);
  });

  it('keeps items scheduled before start and hands them over on start', async () => {
    const { queue } = createMemoryStorage();
    await queue.schedule(item('a'));
    await queue.schedule(item('b'));
    const seen: string[] = [];
    const done = deferred();
    const run = queue.start(
      async (work) => {
        seen.push(work.sourceId);
        if (seen.length === 2) done.resolve();
      },
      { concurrency: 1 },
    );
    await done.promise;
    await run.stop();
    expect(seen).toEqual(['a', 'b']);
  });

  it('runs one handler per item at a time, and an item scheduled while running runs again after', async () => {
    const { queue } = createMemoryStorage();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const first = deferred();
    const second = deferred();
    const run = queue.start(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs += 1;
        if (runs === 1) await first.promise;
        active -= 1;
        if (runs === 2) second.resolve();
      },
      { concurrency: 8 },
    );
    await queue.schedule(item('a'));
    await sleep(5);
    await queue.schedule(item('a'));
    await queue.schedule(item('a'));
    await sleep(5);
    expect(runs).toBe(1);
    first.resolve();
    await second.promise;
    await sleep(5);
    await run.stop();
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it('keeps the earlier time when an item is scheduled twice', async () => {
    const { queue } = createMemoryStorage();
    const seen: number[] = [];
    const done = deferred();
    const run = queue.start(
      async () => {
        seen.push(Date.now());
        done.resolve();
      },
      { concurrency: 1 },
    );
    const start = Date.now();
    await queue.schedule(item('a'), start + 30);
    await queue.schedule(item('a'), start + 60_000);
    await done.promise;
    await run.stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]! - start).toBeLessThan(10_000);
  });

  it('moves an item earlier when scheduled again sooner', async () => {
    const { queue } = createMemoryStorage();
    const done = deferred();
    const run = queue.start(async () => done.resolve(), { concurrency: 1 });
    await queue.schedule(item('a'), Date.now() + 60_000);
    await queue.schedule(item('a'));
    await done.promise;
    await run.stop();
  });

  it('never runs more handlers than the concurrency', async () => {
    const { queue } = createMemoryStorage();
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const done = deferred();
    const run = queue.start(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(2);
        active -= 1;
        finished += 1;
        if (finished === 20) done.resolve();
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 20; i += 1) await queue.schedule(item(`c${i}`, `t${i % 4}`));
    await done.promise;
    await run.stop();
    expect(maxActive).toBe(3);
  });

  it('retries an item whose handler threw, later', async () => {
    const { queue } = createMemoryStorage();
    let calls = 0;
    const run = queue.start(
      async () => {
        calls += 1;
        throw new Error('broken');
      },
      { concurrency: 1 },
    );
    await queue.schedule(item('a'));
    await sleep(20);
    expect(calls).toBe(1);
    await run.stop();
  });

  it('stop waits for running handlers, hands out nothing after, and a new start resumes', async () => {
    const { queue } = createMemoryStorage();
    const release = deferred();
    const seen: string[] = [];
    const first = queue.start(
      async (work) => {
        seen.push(work.sourceId);
        await release.promise;
      },
      { concurrency: 1 },
    );
    await queue.schedule(item('a'));
    await queue.schedule(item('b'));
    await sleep(5);
    const stopped = first.stop();
    let stopResolved = false;
    void stopped.then(() => {
      stopResolved = true;
    });
    await sleep(5);
    expect(stopResolved).toBe(false);
    release.resolve();
    await stopped;
    expect(seen).toEqual(['a']);
    const done = deferred();
    const second = queue.start(
      async (work) => {
        seen.push(work.sourceId);
        done.resolve();
      },
      { concurrency: 1 },
    );
    await done.promise;
    await second.stop();
    expect(seen).toEqual(['a', 'b']);
  });

  it('refuses a second start and a bad concurrency', () => {
    const { queue } = createMemoryStorage();
    const run = queue.start(async () => {}, { concurrency: 1 });
    expect(() => queue.start(async () => {}, { concurrency: 1 })).toThrow(/already started/);
    void run.stop();
    const other = createMemoryStorage().queue;
    expect(() => other.start(async () => {}, { concurrency: 0 })).toThrow(RangeError);
  });
});
