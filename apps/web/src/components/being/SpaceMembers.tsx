'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { BeingItem } from '@/components/space/types';
import { FormError } from '@/components/ui/FormError';
import { LIMITS } from '@/domain/limits';
import { beingIdFromInput } from '@/lib/being-id';
import { useTRPC } from '@/lib/trpc';
import styles from './SpaceMembers.module.css';

/**
 * The owner's list of a space's members: add someone by address, remove a member. Members are who may see
 * a private space; removing one there takes the space from their open pages at once.
 */
export function SpaceMembers({ space }: { space: BeingItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.space.members.queryOptions({ spaceId: space.id }));
  const add = useMutation(trpc.space.addMember.mutationOptions());
  const remove = useMutation(trpc.space.removeMember.mutationOptions());
  const [address, setAddress] = useState('');
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.space.members.queryKey({ spaceId: space.id }) });

  async function onAdd(event: FormEvent) {
    event.preventDefault();
    remove.reset();
    const added = await add
      .mutateAsync({ spaceId: space.id, beingId: beingIdFromInput(address) })
      .catch(() => undefined);
    if (!added) return;
    setAddress('');
    await refresh();
  }

  async function onRemove(beingId: string) {
    add.reset();
    const done = await remove.mutateAsync({ spaceId: space.id, beingId }).catch(() => undefined);
    if (done) await refresh();
  }

  const others = (members.data ?? []).filter((member) => member.id !== space.ownerId);
  return (
    <section className={styles.section} aria-labelledby="members-heading">
      <h2 id="members-heading" className={styles.heading}>
        Members
      </h2>
      <p className={styles.note}>
        {space.visibility === 'private'
          ? 'Only you and the members can see this space.'
          : 'Anyone can see this space; members are the people who joined it.'}
      </p>
      <FormError error={add.error ?? remove.error} />
      {others.length > 0 && (
        <ul className={styles.list} aria-label="Members">
          {others.map((member) => (
            <li key={member.id} className={styles.member}>
              <span>
                <strong>{member.name}</strong> <code>{member.id}</code>
              </span>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => onRemove(member.id)}
                disabled={remove.isPending}
                aria-label={`Remove ${member.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onAdd} className={styles.add}>
        <input
          className="input"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          placeholder="@their-address"
          aria-label="Address of the member to add"
          maxLength={LIMITS.beingIdMax}
        />
        <button type="submit" className="button" disabled={add.isPending || !address.trim()}>
          {add.isPending ? 'Adding…' : 'Add member'}
        </button>
      </form>
    </section>
  );
}
