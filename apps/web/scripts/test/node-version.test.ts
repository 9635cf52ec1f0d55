import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { assertNodeVersion, MINIMUM_NODE } from '../lib/node-version.ts';

test('the launcher refuses a Node.js older than the minimum and accepts it and anything newer', () => {
  expect(() => assertNodeVersion('20.18.3')).toThrow(
    `rhizom needs Node.js ${MINIMUM_NODE} or newer, this is 20.18.3`,
  );
  expect(() => assertNodeVersion('18.20.0')).toThrow(/upgrade Node.js/);
  for (const version of ['20.19.0', '20.20.2', '22.1.0', '24.0.0']) {
    expect(() => assertNodeVersion(version)).not.toThrow();
  }
  expect(() => assertNodeVersion(process.versions.node)).not.toThrow();
});

test('the minimum is the one package.json declares', () => {
  const root = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));
  expect(root.engines.node).toBe(`>=${MINIMUM_NODE.replace(/\.0$/, '')}`);
});
