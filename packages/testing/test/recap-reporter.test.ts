import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RESULTS_FILE } from '../src/recap-reporter.ts';
import { formatRecap, readSuiteResult } from '../src/vitest-results.ts';

const reporter = path.resolve(import.meta.dirname, '../src/recap-reporter.ts');
const vitestBin = path.resolve(import.meta.dirname, '../../../node_modules/vitest/vitest.mjs');

describe('the recap reporter', () => {
  it('reports a timed-out test by its message, not the stack placeholder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recap-reporter-'));
    writeFileSync(
      path.join(dir, 'slow.test.ts'),
      [
        "import { it } from 'vitest';",
        "it('passes', () => {});",
        "it('times out', () => new Promise((resolve) => setTimeout(resolve, 5_000)), 50);",
        "it.skip('is skipped', () => {});",
      ].join('\n'),
    );
    const run = promisify(execFile)(process.execPath, [
      vitestBin,
      'run',
      '--root',
      dir,
      `--reporter=${reporter}`,
    ]);
    await expect(run).rejects.toMatchObject({ code: 1 });
    const recap = formatRecap([readSuiteResult('fixture', 1, path.join(dir, RESULTS_FILE))]);
    expect(recap).toContain('fixture: FAILED (exit 1), 1/3 tests passed (1 skipped)');
    expect(recap).toContain('slow.test.ts › times out\n    Error: Test timed out in 50ms');
    expect(recap).not.toContain('STACK_TRACE_ERROR');
  }, 30_000);
});
