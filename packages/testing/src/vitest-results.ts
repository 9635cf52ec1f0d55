/** Reads vitest's JSON report (the Jest-compatible shape) into what the end-of-run recap needs. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface FailedTest {
  file: string;
  name: string;
  message: string;
}

export interface SuiteResult {
  workspace: string;
  exitCode: number;
  passed: number;
  /** Skipped or todo: a suite that needs PostgreSQL skips its cases when `DATABASE_URL` is unset. */
  skipped: number;
  total: number;
  failures: FailedTest[];
  /** Set when the suite left no report: it crashed or was killed before vitest could write one. */
  missingReport?: boolean;
}

/** The Jest-compatible report shape, as `recap-reporter.ts` writes it. */
export interface JsonReport {
  numPassedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numTotalTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

const MESSAGE_LINES = 12;

export function readSuiteResult(workspace: string, exitCode: number, reportFile: string): SuiteResult {
  if (!existsSync(reportFile)) {
    return { workspace, exitCode, passed: 0, skipped: 0, total: 0, failures: [], missingReport: true };
  }
  return summarize(workspace, exitCode, JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport);
}

export function summarize(workspace: string, exitCode: number, report: JsonReport): SuiteResult {
  const failures: FailedTest[] = [];
  for (const file of report.testResults) {
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests) {
      failures.push({
        file: relative(file.name),
        name: test.fullName,
        message: (test.failureMessages ?? []).join('\n'),
      });
    }
    // A file that failed outside any test (an import error, a hook) has a message and no failed test.
    if (file.status === 'failed' && failedTests.length === 0) {
      failures.push({ file: relative(file.name), name: '(the file itself)', message: file.message ?? '' });
    }
  }
  return {
    workspace,
    exitCode,
    passed: report.numPassedTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    total: report.numTotalTests,
    failures,
  };
}

function relative(file: string): string {
  return path.isAbsolute(file) ? path.relative(process.cwd(), file) : file;
}

export function formatRecap(results: SuiteResult[]): string {
  const lines = ['', '━━ every suite ━━'];
  for (const result of results) {
    const verdict = result.exitCode === 0 ? 'passed' : `FAILED (exit ${result.exitCode})`;
    const skipped = result.skipped > 0 ? ` (${result.skipped} skipped)` : '';
    const counts = result.missingReport
      ? 'no report written'
      : `${result.passed}/${result.total} tests passed${skipped}`;
    lines.push(`${result.workspace}: ${verdict}, ${counts}`);
  }
  for (const result of results.filter((r) => r.exitCode !== 0)) {
    lines.push('', `━━ ${result.workspace} ━━`);
    if (result.failures.length === 0) {
      lines.push('No test failed: look above for "Unhandled Errors" or a crash in this suite.');
    }
    for (const failure of result.failures) {
      lines.push(`✗ ${failure.file} › ${failure.name}`);
      lines.push(...firstLines(failure.message).map((line) => `    ${line}`));
    }
  }
  return lines.join('\n');
}

function firstLines(message: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes from vitest messages
  const plain = message.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const kept = plain.slice(0, MESSAGE_LINES);
  if (plain.length > MESSAGE_LINES)
    kept.push(`… ${plain.length - MESSAGE_LINES} more lines in the suite's output above`);
  return kept;
}
