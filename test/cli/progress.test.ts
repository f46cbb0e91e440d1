import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, showSyncProgress } from '../../src/cli/progress.js';

describe('createProgress', () => {
  it('writes one plain line per phase and per tenth of the work when there is no terminal', () => {
    const lines: string[] = [];
    const progress = createProgress({ line: (text) => lines.push(text) }, 'sync');
    progress.update('inventory', 0, 0);
    for (let done = 0; done <= 1000; done += 1) progress.update('executing', done, 1000);
    progress.update('done', 1000, 1000);
    progress.stop();
    progress.stop();
    expect(lines).toEqual([
      'sync inventory…',
      ...Array.from({ length: 11 }, (_, i) => `sync executing: ${i * 100}/1000 (${i * 10}%)`),
      'sync done: 1000/1000 (100%)',
    ]);
  });

  it('shows the initial sync: the inventory in pages, then the source customers', () => {
    const lines: string[] = [];
    const progress = createProgress({ line: (text) => lines.push(text) }, 'sync');
    const counts = { create: 0, link: 0, update: 0, ask: 0, failed: 0, 'already-linked': 0 };
    const base = { tenantId: '1', done: 0, total: 0, counts } as const;
    showSyncProgress(progress, { ...base, phase: 'inventory', pagesRead: 0, totalPages: 0 });
    for (let page = 1; page <= 4; page += 1) {
      showSyncProgress(progress, { ...base, phase: 'inventory', pagesRead: page, totalPages: 4 });
    }
    showSyncProgress(progress, { ...base, phase: 'planning', done: 0, total: 20 });
    showSyncProgress(progress, { ...base, phase: 'done', done: 20, total: 20 });
    expect(lines).toEqual([
      'sync inventory…',
      'sync inventory: 1/4 pages (25%)',
      'sync inventory: 2/4 pages (50%)',
      'sync inventory: 3/4 pages (75%)',
      'sync inventory: 4/4 pages (100%)',
      'sync planning: 0/20 customers (0%)',
      'sync done: 20/20 customers (100%)',
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
    progress.update('inventory', 1, 3, 'pages');
    progress.update('inventory', 3, 3, 'pages');
    progress.update('executing', 50, 200, 'customers');
    progress.update('executing', 200, 200, 'customers');
    progress.stop();
    expect(lines).toEqual([]);
    expect(drawn).toContain('sync inventory');
    expect(drawn).toMatch(/[13]\/3 pages/);
    expect(drawn).toContain('sync executing');
    expect(drawn).toContain('200/200 customers');
    expect(drawn).toContain('100%');
  });
});
