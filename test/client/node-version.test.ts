import { describe, expect, it } from 'vitest';
import {
  assertSupportedNode,
  isSupportedNodeVersion,
  MIN_NODE_VERSION,
} from '../../src/client/node-version.js';

describe('Node.js version check', () => {
  it.each([
    ['22.12.0', true],
    ['22.13.1', true],
    ['24.0.0', true],
    ['30.1.0', true],
    ['22.11.0', false],
    ['20.20.2', false],
    ['18.19.0', false],
  ])('%s supported: %s', (version, supported) => {
    expect(isSupportedNodeVersion(version)).toBe(supported);
  });

  it('fails at once on an old Node, naming the version needed and the fix', () => {
    expect(() => assertSupportedNode('createFortnoxClient', '20.20.2')).toThrow(
      `createFortnoxClient: fortnox-sync needs Node.js ${MIN_NODE_VERSION} or newer, but this is Node.js 20.20.2`,
    );
    expect(() => assertSupportedNode('createFortnoxClient', '24.1.0')).not.toThrow();
  });

  it('agrees with package.json engines', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_VERSION.replace(/\.0$/, '')}`);
  });
});
