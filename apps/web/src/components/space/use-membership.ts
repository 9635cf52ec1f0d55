'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';

export interface Membership {
  /** `undefined` while unknown (loading, or nobody signed in). */
  isMember: boolean | undefined;
  pending: boolean;
  error: string | undefined;
  join: () => void;
  leave: () => void;
}

/** Whether the signed-in being belongs to the space, and the buttons to change that. */
export function useMembership(spaceId: string, myBeingId: string | undefined): Membership {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.space.members.queryOptions({ spaceId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.space.members.queryKey({ spaceId }) });
  const join = useMutation(trpc.space.join.mutationOptions({ onSuccess: refresh }));
  const leave = useMutation(trpc.space.leave.mutationOptions({ onSuccess: refresh }));
  const failed = join.error ?? leave.error;
  return {
    isMember: myBeingId && members.data ? members.data.some((b) => b.id === myBeingId) : undefined,
    pending: join.isPending || leave.isPending,
    error: failed ? errorMessage(failed) : undefined,
    join: () => join.mutate({ spaceId }),
    leave: () => leave.mutate({ spaceId }),
  };
}
