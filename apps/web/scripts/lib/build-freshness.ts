import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the production build compiles: the app and the workspace packages it bundles from source. */
const INPUTS = ['src', 'next.config.ts', 'package.json', 'tsconfig.json', '../../packages/sync/src'];

/** The newest modification time among the files a production build depends on. */
function newestInput(appDir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const input of INPUTS) visit(join(appDir, input));
  return newest;
}

/** True when `.next` holds a build newer than every source file it was built from. */
export function buildIsFresh(appDir: string): boolean {
  const buildId = join(appDir, '.next', 'BUILD_ID');
  return existsSync(buildId) && statSync(buildId).mtimeMs > newestInput(appDir);
}
