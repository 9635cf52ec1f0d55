/** A whole number > 0 from the environment, or `fallback` when unset; anything else is a startup error. */
export function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got "${raw}". Unset it to use ${fallback}.`);
  }
  return value;
}
