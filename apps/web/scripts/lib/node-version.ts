/**
 * The oldest Node.js rhizom runs on (the root package.json's `engines`). `npm ci` also warns that
 * machina@7 wants Node 22.22: livekit-client bundles machina into its own build and never loads that
 * package, so the warning does not apply; the launcher enforces this minimum instead.
 */
export const MINIMUM_NODE = '20.19.0';

/** Throws an actionable error when `version` (like `process.versions.node`) is older than the minimum. */
export function assertNodeVersion(version: string): void {
  const parts = (v: string) => v.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [have, need] = [parts(version), parts(MINIMUM_NODE)];
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) > (need[i] ?? 0)) return;
    if ((have[i] ?? 0) < (need[i] ?? 0)) {
      throw new Error(`rhizom needs Node.js ${MINIMUM_NODE} or newer, this is ${version}: upgrade Node.js`);
    }
  }
}
