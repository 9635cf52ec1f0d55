'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { signOut } from '@/lib/auth-client';
import { beingIdFromParam } from '@/lib/being-id';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import { SpaceRail } from './SpaceRail';

/** The rail wired to data: the spaces this visitor can see, and their session. */
export function AppRail() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const params = useParams<{ id?: string }>();
  const me = useMe();
  const spaces = useQuery(trpc.being.search.queryOptions({ type: 'space', limit: 100 }));
  // Alphabetical, so a space stays where people last saw it as others are created.
  const sortedSpaces = useMemo(
    () =>
      [...(spaces.data?.items ?? [])].sort((a, b) =>
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
      ),
    [spaces.data],
  );

  async function onSignOut() {
    await signOut();
    queryClient.clear();
    router.push('/sign-in');
    router.refresh();
  }

  return (
    <SpaceRail
      spaces={sortedSpaces}
      activeId={params.id ? beingIdFromParam(params.id) : undefined}
      me={me.being && { ...me.being, isGuest: me.isGuest }}
      loading={spaces.isPending}
      error={spaces.error ? errorMessage(spaces.error, 'Spaces could not be loaded.') : undefined}
      onSignOut={() => void onSignOut()}
    />
  );
}
