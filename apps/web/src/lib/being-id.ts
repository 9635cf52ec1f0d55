/**
 * Being ids look like `@slug`. In URLs the `@` may arrive percent-encoded (`%40`), so route params
 * are decoded before use; malformed escapes are passed through so the server can reject them clearly.
 */
export function beingIdFromParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export function beingHref(id: string): string {
  return `/being/${id}`;
}

/** A readable fallback for a being we know only by id. */
export function nameFromId(id: string): string {
  return id.replace(/^@/, '');
}

/** What someone typed as an address (`@ada` or `ada`), as a being id; the server validates the rest. */
export function beingIdFromInput(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('@') ? trimmed : `@${trimmed}`;
}
