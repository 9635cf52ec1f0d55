import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate` writes SQL migrations to ./drizzle; the app applies them at start. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
