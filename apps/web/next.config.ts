import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Workspace packages export their .ts sources directly; Next must compile them.
  transpilePackages: ['@rhizom/sync'],
  // Native and WASM packages load their own files at runtime, so they must stay outside the bundle.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@rhizom/sfu',
    'node-datachannel',
    'pino',
    'pino-pretty',
    'postgres',
    'livekit-server-sdk',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { tsconfigPath: 'tsconfig.json' },
};

export default nextConfig;
