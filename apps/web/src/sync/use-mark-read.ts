'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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
 * Least time between two "read" calls from one tab. Reading counts against the person's write rate, so a
 * busy space they are looking at costs at most one write per interval, not one per message.
 */
const MARK_READ_INTERVAL_MS = 2_000;

/**
 * Reading a space: while it is open in a visible tab and shows unread messages, tell the server, which
 * clears the count in every tab of this person (through their personal stream). One call in flight at a
 * time, at most one per interval; messages arriving meanwhile are read by the next call.
 */
export function useMarkRead(spaceId: string | undefined, unread: number): void {
  const trpc = useTRPC();
  const visible = usePageVisible();
  const { mutate, isPending } = useMutation(trpc.space.markRead.mutationOptions());
  const lastCall = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (!spaceId || unread === 0 || !visible || isPending) return;
    const timer = setTimeout(
      () => {
        lastCall.current = Date.now();
        mutate({ spaceId });
      },
      Math.max(0, lastCall.current + MARK_READ_INTERVAL_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [spaceId, unread, visible, isPending, mutate]);
}
