import { rotateSigningKey } from '@rhizom/sync/server';
import { createDatabase } from '../src/db/database.ts';
import { processConfig } from '../src/server/config.ts';
import { log } from './lib/log.ts';

/**
 * `npm run sync:rotate-signing-key [-- --now]`: a new packet signing key for the deployment, on the database
 * the app uses (DATABASE_URL, or the embedded one in RHIZOM_DATA_DIR while the app is stopped). Every app
 * process signs with it within 30 s; the old keys stay valid for 10 minutes, or stop at once with `--now`
 * (a leaked key: clients then drop packets still signed with it, and catch up).
 */
async function main(): Promise<void> {
  const now = process.argv.includes('--now');
  const config = processConfig();
  const database = await createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const rotated = await rotateSigningKey(database.db, { retireOthersAfterMs: now ? 0 : undefined });
    log.info(
      `new signing key ${rotated.id}; retiring ${rotated.retiring.join(', ') || 'none'} ${now ? 'now' : 'in 10 minutes'}`,
    );
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log.error(`rotating the signing key failed: ${error.message}`);
    process.exit(1);
  },
);
