'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { BeingItem } from '@/components/space/types';
import { FormError } from '@/components/ui/FormError';
import { beingHref } from '@/lib/being-id';
import { useTRPC } from '@/lib/trpc';
import styles from './DeleteBeing.module.css';

const home = '@intraliminal';

/**
 * The owner's way to delete a being, behind a second, explicit confirmation. Afterwards the owner lands
 * where the being was (its space), or in the home space when it was a space itself.
 */
export function DeleteBeing({ being }: { being: BeingItem }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(trpc.being.delete.mutationOptions());
  const isSpace = being.type === 'space';

  async function onDelete() {
    const done = await remove.mutateAsync({ id: being.id }).catch(() => undefined);
    if (!done) return;
    await queryClient.invalidateQueries({ queryKey: trpc.being.pathKey() });
    router.push(beingHref(!isSpace && being.locationId ? being.locationId : home));
  }

  return (
    <section className={styles.zone} aria-labelledby="delete-heading">
      <h2 id="delete-heading" className={styles.heading}>
        Delete {being.name}
      </h2>
      <p className={styles.note}>
        {isSpace
          ? 'The space and its messages disappear for everyone. Beings inside it stay, with no place.'
          : 'It disappears for everyone. What it said stays in the conversation.'}
      </p>
      <FormError error={remove.error} />
      {confirming ? (
        <div className={styles.actions}>
          <button
            type="button"
            className="button button-danger"
            onClick={onDelete}
            disabled={remove.isPending}
          >
            {remove.isPending ? 'Deleting…' : `Delete ${being.name} for good`}
          </button>
          <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          Delete…
        </button>
      )}
    </section>
  );
}
