/**
 * `npm test` at the root: every workspace's suite, one after another, then a recap of what failed.
 * CI keeps only the tail of a long log, and vitest prints a suite's failures in the middle of it,
 * followed by minutes of later suites; the recap repeats each failure where it will be read.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { RESULTS_FILE } from './recap-reporter.ts';
import { formatRecap, readSuiteResult, type SuiteResult } from './vitest-results.ts';

const reporter = path.join(import.meta.dirname, 'recap-reporter.ts');
const root = path.resolve(import.meta.dirname, '../../..');

function readManifest(dir: string): { workspaces?: string[]; scripts?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
}

/** The workspaces in npm's order (as listed, globs expanded alphabetically) that have a test script. */
function workspacesWithTests(): string[] {
  const expand = (pattern: string): string[] => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent))
      .sort()
      .map((name) => `${parent}/${name}`)
      .filter((dir) => existsSync(path.join(root, dir, 'package.json')));
  };
  return (readManifest('.').workspaces ?? [])
    .flatMap(expand)
    .filter((dir) => Boolean(readManifest(dir).scripts?.test));
}

function runSuite(workspace: string): Promise<number> {
  const args = ['run', 'test', '-w', workspace, '--', '--reporter=default', `--reporter=${reporter}`];
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results: SuiteResult[] = [];
for (const workspace of workspacesWithTests()) {
  const file = path.join(root, workspace, RESULTS_FILE);
  rmSync(file, { force: true });
  const exitCode = await runSuite(workspace);
  results.push(readSuiteResult(workspace, exitCode, file));
}
console.log(formatRecap(results));
process.exitCode = results.some((result) => result.exitCode !== 0) ? 1 : 0;
