import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface ThrowawayDatabase {
  /** postgres:// URL of the new, empty database. */
  url: string;
  /** Drops it (closing whatever is still connected) and ends the admin connection. */
  drop(): Promise<void>;
}

/**
 * A new empty database `<prefix>_<random>` on the PostgreSQL server `serverUrl` points at, for a suite or
 * a bench run that must start from nothing and leave nothing behind.
 */
export async function throwawayDatabase(
  serverUrl: string,
  prefix = 'rhizom_test',
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
