import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

describe('createProgress', () => {
  it('writes one plain line per phase and per tenth of the work when there is no terminal', () => {
    const lines: string[] = [];
    const progress = createProgress({ line: (text) => lines.push(text) }, 'sync');
    progress.update('inventory', 0, 0);
    for (let done = 0; done <= 1000; done += 1) progress.update('executing', done, 1000);
    progress.update('done', 1000, 1000);
    progress.stop();
    progress.update('executing', 1000, 1000); // late work after the end is not shown
    expect(lines).toEqual([
      'sync inventory: 0/0 (100%)',
      ...Array.from({ length: 11 }, (_, i) => `sync executing: ${i * 100}/1000 (${i * 10}%)`),
      'sync done: 1000/1000 (100%)',
    ]);
  });

  it('draws a live bar (cli-progress) on a TTY and writes no plain lines', () => {
    let drawn = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        drawn += chunk.toString();
        callback();
      },
    }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    const lines: string[] = [];
    const progress = createProgress({ stream, line: (text) => lines.push(text) }, 'sync');
    progress.update('executing', 50, 200);
    progress.update('executing', 200, 200);
    progress.stop();
    expect(lines).toEqual([]);
    expect(drawn).toContain('sync executing');
    expect(drawn).toContain('200/200');
    expect(drawn).toContain('100%');
  });
});
