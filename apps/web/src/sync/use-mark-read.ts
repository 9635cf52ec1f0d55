'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/lib/trpc';

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/**
 * Reading a space: while it is open in a visible tab and shows unread messages, tell the server, which
 * clears the count in every tab of this person (through their personal stream). One call in flight at
 * a time; a message arriving meanwhile raises the count again and is read by the next call.
 */
export function useMarkRead(spaceId: string | undefined, unread: number): void {
  const trpc = useTRPC();
  const visible = usePageVisible();
  const { mutate, isPending } = useMutation(trpc.space.markRead.mutationOptions());
  useEffect(() => {
    if (spaceId && unread > 0 && visible && !isPending) mutate({ spaceId });
  }, [spaceId, unread, visible, isPending, mutate]);
}
