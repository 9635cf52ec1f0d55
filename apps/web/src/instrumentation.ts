/** Next.js calls this once when the server starts; the work itself is Node-only (`server/start-on-boot.ts`). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startOnBoot } = await import('./server/start-on-boot.ts');
  await startOnBoot();
}
