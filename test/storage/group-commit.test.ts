import { describe, expect, it } from 'vitest';
import { createGroupCommit, type Submitted } from '../../src/storage/postgres/group-commit.js';

/** A refusal as Postgres answers a deadlock: the batch is written again piece by piece. */
const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('createGroupCommit (no database)', () => {
  it('batches what comes while two writes are in flight, ordered by lock, one lock in arrival order', async () => {
    const batches: string[][] = [];
    const group = createGroupCommit<string, string>({
      max: 10,
      inFlight: 2,
      ready: async () => undefined,
      retryAlone: () => false,
      async write(batch) {
        batches.push(batch.map((piece) => piece.input));
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const piece of batch) piece.resolve(`done ${piece.input}`);
      },
    });
    const results = await Promise.all([
      group.submit('first', 'm'),
      group.submit('second', 'n'),
      group.submit('z1', 'z'),
      group.submit('a', 'a'),
      group.submit('z2', 'z'),
    ]);
    expect(results).toEqual(['done first', 'done second', 'done z1', 'done a', 'done z2']);
    expect(batches).toEqual([['first'], ['second'], ['a', 'z1', 'z2']]);
    await group.close();
    await expect(group.submit('late', 'l')).rejects.toMatchObject({ code: 'closed' });
  });

  it('a refused batch is written piece by piece: a piece waiting for its lock holds up no other lock, one lock keeps its order', async () => {
    let releaseSlow: () => void = () => undefined;
    const slowLock = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const alone: string[] = [];
    const group = createGroupCommit<string, string>({
      max: 10,
      inFlight: 1,
      ready: async () => undefined,
      retryAlone: (error) => error === deadlock,
      async write(batch: readonly Submitted<string, string>[]) {
        if (batch.length > 1) throw deadlock;
        const [piece] = batch as [Submitted<string, string>];
        alone.push(piece.input);
        // As a host's transaction would hold lock 'a' until it commits.
        if (piece.lock === 'a') await slowLock;
        if (piece.input === 'bad') throw new Error('refused alone');
        piece.resolve(piece.input);
      },
    });
    const blocker = group.submit('blocker', 'x');
    const slow = group.submit('slow', 'a');
    const fast = group.submit('fast', 'b');
    const bad = group.submit('bad', 'c');
    const laterOfA = group.submit('later of a', 'a');
    await blocker;
    // 'fast' is written while 'slow' still waits for its lock; 'later of a' waits behind 'slow'.
    expect(await fast).toBe('fast');
    await expect(bad).rejects.toThrow('refused alone');
    expect(alone).not.toContain('later of a');
    releaseSlow();
    expect(await slow).toBe('slow');
    expect(await laterOfA).toBe('later of a');
    expect(alone.indexOf('slow')).toBeLessThan(alone.indexOf('later of a'));
  });
});
