import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { buildInputsDigest, buildIsFresh, recordBuildInputs } from '../lib/build-freshness.ts';

let appDir: string;

beforeEach(() => {
  appDir = join(mkdtempSync(join(tmpdir(), 'rhizom-fresh-')), 'apps', 'web');
  mkdirSync(join(appDir, 'src', 'app'), { recursive: true });
  writeFileSync(join(appDir, 'package.json'), '{}');
  writeFileSync(join(appDir, 'src', 'app', 'page.tsx'), 'export default 1;');
  writeFileSync(join(appDir, 'src', 'instrumentation.ts'), 'export {};');
});
afterEach(() => rmSync(join(appDir, '..', '..'), { recursive: true, force: true }));

/** What a successful build leaves: a build id and the digest of the inputs it was made from. */
function built() {
  const digest = buildInputsDigest(appDir);
  mkdirSync(join(appDir, '.next'), { recursive: true });
  writeFileSync(join(appDir, '.next', 'BUILD_ID'), 'test');
  recordBuildInputs(appDir, digest);
}

test('no build, or a build with no record of its inputs, is not fresh', () => {
  expect(buildIsFresh(appDir)).toBe(false);
  mkdirSync(join(appDir, '.next'));
  writeFileSync(join(appDir, '.next', 'BUILD_ID'), 'made by a bare next build');
  expect(buildIsFresh(appDir)).toBe(false);
});

test('a build is fresh until an input is edited, added, deleted or replaced by an older version', () => {
  built();
  expect(buildIsFresh(appDir)).toBe(true);

  writeFileSync(join(appDir, 'src', 'app', 'page.tsx'), 'export default 2;');
  expect(buildIsFresh(appDir)).toBe(false);
  built();

  writeFileSync(join(appDir, 'src', 'app', 'new.ts'), 'export {};');
  expect(buildIsFresh(appDir)).toBe(false);
  built();

  // Deleting a file makes no file newer than the build; the old check missed it.
  rmSync(join(appDir, 'src', 'instrumentation.ts'));
  expect(buildIsFresh(appDir)).toBe(false);
  built();

  // A checkout of an older commit restores old mtimes.
  utimesSync(join(appDir, 'src', 'app', 'page.tsx'), new Date(2020, 0, 1), new Date(2020, 0, 1));
  expect(buildIsFresh(appDir)).toBe(false);
});

test('files outside the inputs do not matter', () => {
  built();
  writeFileSync(join(appDir, 'README.md'), 'notes');
  mkdirSync(join(appDir, 'test-results'));
  writeFileSync(join(appDir, 'test-results', 'shot.png'), '');
  expect(buildIsFresh(appDir)).toBe(true);
});
