'use client';

import type { BeingView } from '@rhizom/sync';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '@/lib/auth-client';
import { useTRPC } from '@/lib/trpc';

export interface Me {
  /** The signed-in person's being, `null` for a visitor without a session, `undefined` while loading. */
  being: BeingView | null | undefined;
  isGuest: boolean;
}

/** Who is looking at the page, as the server sees it (session → user → being). */
export function useMe(): Me {
  const session = useSession();
  const trpc = useTRPC();
  const signedIn = Boolean(session.data?.user);
  const being = useQuery({ ...trpc.being.me.queryOptions(), enabled: signedIn });
  if (session.isPending) return { being: undefined, isGuest: false };
  if (!signedIn) return { being: null, isGuest: false };
  const isGuest = Boolean((session.data?.user as { isAnonymous?: boolean | null } | undefined)?.isAnonymous);
  return { being: being.data ?? (being.isError ? null : undefined), isGuest };
}
