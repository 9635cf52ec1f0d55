import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startAppServer } from './support/app-server.ts';
import { ensureBuilt } from './support/build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** Builds the app if needed and serves it once for every browser test file. */
export default async function setup(project: TestProject) {
  await ensureBuilt(appDir);
  const server = await startAppServer(appDir);
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
  };
}
