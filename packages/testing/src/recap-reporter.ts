/**
 * A vitest reporter that writes what the end-of-run recap reads (`.vitest-results.json` in the suite's
 * root, the Jest-compatible shape of vitest's JSON reporter). vitest's own JSON reporter writes an
 * error's stack in place of its message, and the stack of a timed-out test is vitest's placeholder
 * "Error: STACK_TRACE_ERROR": this one writes the message first, so the recap says "timed out in 60000ms".
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import type { JsonReport } from './vitest-results.ts';

export const RESULTS_FILE = '.vitest-results.json';

interface ReportedError {
  name?: string;
  message?: string;
  stack?: string;
}

/** The error's own name and message, then the frames of its stack (whatever its stack's first line says). */
export function describeError(error: ReportedError): string {
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.name ?? 'Error'}: ${error.message ?? ''}`, ...frames].join('\n');
}

export function reportOf(modules: ReadonlyArray<TestModule>): JsonReport {
  const report: JsonReport = { numPassedTests: 0, numPendingTests: 0, numTotalTests: 0, testResults: [] };
  for (const module of modules) {
    const assertionResults: JsonReport['testResults'][number]['assertionResults'] = [];
    for (const test of module.children.allTests()) {
      const result = test.result();
      report.numTotalTests += 1;
      if (result.state === 'passed') report.numPassedTests += 1;
      if (result.state === 'skipped') report.numPendingTests = (report.numPendingTests ?? 0) + 1;
      assertionResults.push({
        fullName: test.fullName,
        status: result.state,
        failureMessages: (result.errors ?? []).map(describeError),
      });
    }
    report.testResults.push({
      name: module.moduleId,
      status: module.state() === 'failed' ? 'failed' : 'passed',
      message: module.errors().map(describeError).join('\n'),
      assertionResults,
    });
  }
  return report;
}

export default class RecapReporter implements Reporter {
  private file = RESULTS_FILE;

  onInit(vitest: Vitest): void {
    this.file = path.join(vitest.config.root, RESULTS_FILE);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    writeFileSync(this.file, JSON.stringify(reportOf(modules)));
  }
}
