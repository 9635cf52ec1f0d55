import { anonymousClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Same-origin client: the auth routes live at /api/auth in this app. */
export const authClient = createAuthClient({ plugins: [anonymousClient()] });

export const { useSession, signIn, signUp, signOut } = authClient;

/**
 * Guest sign-in with a display name, which becomes the guest being's name. The typed client has no
 * body for this endpoint (the name is our addition), so it goes through `$fetch`, and the session
 * signal is raised by hand as the typed call would.
 */
export async function continueAsGuest(name: string) {
  const result = await authClient.$fetch('/sign-in/anonymous', { method: 'POST', body: { name } });
  if (!result.error) authClient.$store.notify('$sessionSignal');
  return result;
}
