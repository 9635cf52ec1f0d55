'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { signOut } from '@/lib/auth-client';
import { beingIdFromParam } from '@/lib/being-id';
import { useMe } from '@/lib/use-me';
import { useMarkRead } from '@/sync/use-mark-read';
import { useSpaceList } from '@/sync/use-space-list';
import { SpaceRail } from './SpaceRail';

/** The rail wired to data: the spaces this visitor can see (live, with unread counts), and their session. */
export function AppRail() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const params = useParams<{ id?: string }>();
  const me = useMe();
  const activeId = params.id ? beingIdFromParam(params.id) : undefined;
  const list = useSpaceList(me.being === undefined ? undefined : (me.being?.id ?? null));
  const active = list.spaces.find((space) => space.id === activeId);
  useMarkRead(me.being ? active?.id : undefined, active?.unread ?? 0);

  async function onSignOut() {
    await signOut();
    queryClient.clear();
    router.push('/sign-in');
    router.refresh();
  }

  return (
    <SpaceRail
      spaces={list.spaces}
      activeId={activeId}
      me={me.being && { ...me.being, ...list.self, isGuest: me.isGuest }}
      loading={list.loading && list.spaces.length === 0}
      error={list.error ?? undefined}
      onSignOut={() => void onSignOut()}
    />
  );
}
