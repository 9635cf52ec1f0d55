import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema/index.ts';

const drizzleDir = fileURLToPath(new URL('../../drizzle/', import.meta.url));

describe('committed migrations', () => {
  // A schema change without `npx drizzle-kit generate` would run in tests (which read the schema) and fail
  // in production (which applies the migrations); the sync package's tests also build their tables from it.
  it('match the Drizzle schema: generating a migration now yields nothing', async () => {
    const journal = JSON.parse(readFileSync(`${drizzleDir}meta/_journal.json`, 'utf8')) as {
      entries: Array<{ idx: number; tag: string }>;
    };
    const last = journal.entries.at(-1);
    expect(last).toBeDefined();
    const index = String(last?.idx).padStart(4, '0');
    const snapshot = JSON.parse(readFileSync(`${drizzleDir}meta/${index}_snapshot.json`, 'utf8'));
    const pending = await generateMigration(snapshot, generateDrizzleJson(schema));
    expect(pending).toEqual([]);
  });
});
