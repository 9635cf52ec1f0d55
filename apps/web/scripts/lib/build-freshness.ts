import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the production build compiles: the app and the workspace packages it bundles from source. */
const INPUTS = ['src', 'next.config.ts', 'package.json', 'tsconfig.json', '../../packages/sync/src'];

const RECORD = join('.next', 'rhizom-build-inputs');

/**
 * A digest of every input file's path, size and modification time. Unlike "newest mtime" it also changes
 * when a file is deleted or renamed, or when a checkout brings back an older version of a file.
 */
export function buildInputsDigest(appDir: string): string {
  const lines: string[] = [];
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else {
      lines.push(`${relative(appDir, path)}\t${stat.size}\t${stat.mtimeMs}`);
    }
  };
  for (const input of INPUTS) visit(join(appDir, input));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Call after a successful build with the digest taken before it started (edits during the build count). */
export function recordBuildInputs(appDir: string, digest: string): void {
  writeFileSync(join(appDir, RECORD), `${digest}\n`);
}

/** True when `.next` holds a build made from exactly the input files whose digest is `digest`. */
export function buildIsFresh(appDir: string, digest = buildInputsDigest(appDir)): boolean {
  const record = join(appDir, RECORD);
  if (!existsSync(join(appDir, '.next', 'BUILD_ID')) || !existsSync(record)) return false;
  return readFileSync(record, 'utf8').trim() === digest;
}
