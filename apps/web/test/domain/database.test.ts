import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.ts';
import { beings } from '../../src/db/schema/index.ts';
import { createDomain } from '../../src/domain/index.ts';
import { SEED_BOT_ID, SEED_SPACE_ID, seed } from '../../src/domain/seed.ts';
import { configFromEnv } from '../../src/server/config.ts';
import { databaseKinds, freshDatabase } from '../support/database.ts';

describe.each(databaseKinds)('database on %s', (kind) => {
  it('applies the committed migrations and seeds once: @intraliminal with its assistant', async () => {
    const target = await freshDatabase(kind);
    try {
      const handle = await createDatabase({ url: target.url, dataDir: target.dataDir });
      const domain = createDomain({ db: handle.db });
      expect(await seed(domain.write)).toEqual({ created: true });
      expect(await seed(domain.write)).toEqual({ created: false });
      const space = await domain.beings.get(null, SEED_SPACE_ID);
      expect(space).toMatchObject({ type: 'space', visibility: 'public', ownerId: null });
      const bot = await domain.beings.get(null, SEED_BOT_ID);
      expect(bot).toMatchObject({ type: 'bot', locationId: SEED_SPACE_ID });
      expect((await handle.db.select().from(beings)).length).toBe(2);
      await handle.close();
      if (kind === 'postgres') {
        // Migrating an up-to-date database again is a no-op (PGlite's case is the on-disk test below).
        const again = await createDatabase({ url: target.url });
        expect((await again.db.select().from(beings)).length).toBe(2);
        await again.close();
      }
    } finally {
      await target.drop();
    }
  });
});

describe('PGlite on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rhizom-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts in <dataDir>/pglite', async () => {
    const first = await createDatabase({ dataDir: dir });
    await seed(createDomain({ db: first.db }).write);
    await first.close();
    expect(statSync(join(dir, 'pglite')).isDirectory()).toBe(true);
    const second = await createDatabase({ dataDir: dir });
    expect((await second.db.select().from(beings)).map((b) => b.id).sort()).toEqual([
      SEED_BOT_ID,
      SEED_SPACE_ID,
    ]);
    await second.close();
  });

  it('refuses a second opener of the same data directory, and takes over a stale lock', async () => {
    const first = await createDatabase({ dataDir: dir });
    // The lock names the owner's pid; a live process other than this one holds it.
    const lockFile = join(dir, 'rhizom.lock');
    writeFileSync(lockFile, String(process.ppid));
    await expect(createDatabase({ dataDir: dir })).rejects.toThrow(/in use by another rhizom process/);
    writeFileSync(lockFile, String(process.pid));
    await first.close();
    expect(existsSync(lockFile)).toBe(false);
    // A lock from a process that no longer runs does not block a restart.
    writeFileSync(lockFile, '2147483646');
    const restarted = await createDatabase({ dataDir: dir });
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    await restarted.close();
  });

  it('generates the auth secret once, private to the owner, and reuses it', () => {
    const config = configFromEnv({ RHIZOM_DATA_DIR: dir });
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(configFromEnv({ RHIZOM_DATA_DIR: dir }).authSecret).toBe(config.authSecret);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(config.authSecret);
    expect(statSync(join(dir, 'auth-secret')).mode & 0o077).toBe(0);
    expect(configFromEnv({ RHIZOM_DATA_DIR: dir, BETTER_AUTH_SECRET: 'from-env' }).authSecret).toBe(
      'from-env',
    );
    expect(configFromEnv({ RHIZOM_DATA_DIR: dir, DATABASE_URL: 'postgres://db/x' }).databaseUrl).toBe(
      'postgres://db/x',
    );
  });

  it('says where it looked when the migrations folder is missing', async () => {
    await expect(
      createDatabase({ dataDir: 'memory://', migrationsFolder: join(dir, 'nope') }),
    ).rejects.toThrow();
  });
});
