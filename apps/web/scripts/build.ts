import { fileURLToPath } from 'node:url';
import { buildInputsDigest, recordBuildInputs } from './lib/build-freshness.ts';
import { log } from './lib/log.ts';
import { runNext } from './lib/next.ts';

/** `npm run build`: a production build that `npm start` recognises as up to date. */
const appDir = fileURLToPath(new URL('..', import.meta.url));
const digest = buildInputsDigest(appDir);
const code = await runNext(appDir, ['build'], process.env).exited;
if (code === 0) recordBuildInputs(appDir, digest);
else log.error({ code }, 'next build failed; see the output above');
process.exit(code);
