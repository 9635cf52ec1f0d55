import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Workspace packages export their .ts sources directly; Next must compile them.
  transpilePackages: ['@rhizom/retry', '@rhizom/sync'],
  // PGlite loads its WASM and data files from its own folder at runtime, pino starts worker threads
  // from files, and the postgres driver picks its build by runtime: all load from node_modules as-is.
  serverExternalPackages: ['@electric-sql/pglite', 'pino', 'postgres'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Types are checked by `npm run check` (tsc over the whole workspace, tests included); the build
  // skips that pass so `npm start` on a fresh clone does not do it a second time.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
