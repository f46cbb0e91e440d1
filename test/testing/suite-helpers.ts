import { afterEach } from 'vitest';
import type { FortnoxEmulatorOptions } from '../../src/testing/index.js';
import type { Face, Running } from './faces.js';

/** A JSON body as the tests read it. */
export type Json = Record<string, unknown>;

/** The parsed JSON body of a response. */
export const body = async (response: Response) => (await response.json()) as Json;

/** The `Customer` of a single-customer response. */
export const customerOf = async (response: Response) => (await body(response)).Customer as Json;

/** The `code` of an `ErrorInformation` body (lower-case keys). */
export const errorCode = async (response: Response) =>
  ((await body(response)).ErrorInformation as Json | undefined)?.code;

/**
 * Starts emulators through `face` for the calling test file and stops every one after each test.
 * Call it inside a suite-defining function, before its `describe` blocks.
 */
export function useStartedEmulators(face: Face) {
  const started: Running[] = [];
  afterEach(async () => {
    for (const running of started.splice(0)) await running.stop();
  });
  return async (options?: FortnoxEmulatorOptions): Promise<Running> => {
    const running = await face.start(options);
    started.push(running);
    return running;
  };
}
