import { fileURLToPath } from 'node:url';
import { launch } from './lib/launch.ts';
import { log } from './lib/log.ts';

/** `npm run dev`: the development server with hot reload, plus the embedded SFU. */
const appDir = fileURLToPath(new URL('..', import.meta.url));

launch(appDir, 'dev').then(
  (code) => process.exit(code),
  (error: Error) => {
    log.error(error.message);
    process.exit(1);
  },
);
