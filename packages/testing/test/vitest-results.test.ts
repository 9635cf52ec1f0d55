import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRecap, readSuiteResult, summarize } from '../src/vitest-results.ts';

const report = {
  numPassedTests: 2,
  numPendingTests: 1,
  numTotalTests: 4,
  testResults: [
    {
      name: 'test/a.test.ts',
      status: 'failed',
      assertionResults: [
        { fullName: 'a passes', status: 'passed' },
        {
          fullName: 'a times out',
          status: 'failed',
          failureMessages: ['\x1b[31mError: Test timed out in 60000ms\x1b[39m\n    at a.test.ts:3'],
        },
        { fullName: 'a is skipped', status: 'skipped' },
      ],
    },
    { name: 'test/b.test.ts', status: 'failed', message: 'Cannot find module x', assertionResults: [] },
    {
      name: 'test/c.test.ts',
      status: 'passed',
      assertionResults: [{ fullName: 'c passes', status: 'passed' }],
    },
  ],
};

describe('the end-of-run recap', () => {
  it('names each failed test and each file that failed outside a test, with its message', () => {
    const result = summarize('packages/sfu', 1, report);
    expect(result.failures).toEqual([
      { file: 'test/a.test.ts', name: 'a times out', message: expect.stringContaining('timed out') },
      { file: 'test/b.test.ts', name: '(the file itself)', message: 'Cannot find module x' },
    ]);
    const recap = formatRecap([result, summarize('apps/web', 0, { ...report, testResults: [] })]);
    expect(recap).toContain('packages/sfu: FAILED (exit 1), 2/4 tests passed (1 skipped)');
    expect(recap).toContain('apps/web: passed');
    expect(recap).toContain('✗ test/a.test.ts › a times out\n    Error: Test timed out in 60000ms');
    expect(recap).not.toContain('\x1b[');
  });

  it('says so when a suite failed without a failed test or left no report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recap-'));
    const missing = readSuiteResult('packages/sync', 1, path.join(dir, 'none.json'));
    const file = path.join(dir, 'report.json');
    writeFileSync(file, JSON.stringify({ numPassedTests: 1, numTotalTests: 1, testResults: [] }));
    const unhandled = readSuiteResult('apps/web', 1, file);
    const recap = formatRecap([missing, unhandled]);
    expect(recap).toContain('packages/sync: FAILED (exit 1), no report written');
    expect(recap).toContain('apps/web: FAILED (exit 1), 1/1 tests passed');
    expect(recap).toContain('look above for "Unhandled Errors"');
  });
});
