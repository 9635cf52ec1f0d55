'use client';

import { compareNames } from '@rhizom/sync/names';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import type { BeingItem } from '@/components/space/types';
import { Field } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { FormPage } from '@/components/ui/FormPage';
import { Link } from '@/components/ui/Link';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { beingTraits } from '@/domain/being-types';
import { LIMITS } from '@/domain/limits';
import { beingHref } from '@/lib/being-id';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import { DeleteBeing } from './DeleteBeing';
import { SpaceMembers } from './SpaceMembers';

/** The owner's form for a being's name, description and (for spaces) visibility. */
export function EditBeing({ id }: { id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const being = useQuery(trpc.being.get.queryOptions({ id }));

  if (being.isPending || me.being === undefined) return <LoadingState label="Loading…" />;
  if (being.isError) return <ErrorState title="Nothing to edit" message={errorMessage(being.error)} />;
  if (!me.being || being.data.ownerId !== me.being.id) {
    return (
      <ErrorState
        title="Only the owner can edit this"
        message={`${being.data.name} belongs to someone else.`}
      >
        <Link className="button" href={beingHref(id)}>
          Back to {being.data.name}
        </Link>
      </ErrorState>
    );
  }
  return <EditForm being={being.data} />;
}

function EditForm({ being }: { being: BeingItem }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(being.name);
  const [content, setContent] = useState(being.content);
  const [visibility, setVisibility] = useState(being.visibility ?? 'public');
  const [locationId, setLocationId] = useState(being.locationId ?? '');
  const update = useMutation(trpc.being.update.mutationOptions());
  const move = useMutation(trpc.being.move.mutationOptions());
  const isSpace = being.type === 'space';
  // What lives in a space (bots, documents) can move to any other space its owner can see.
  const { movable, answers } = beingTraits[being.type];
  const spaces = useQuery({
    ...trpc.being.search.queryOptions({ type: 'space', limit: 100 }),
    enabled: movable,
  });
  const places = (spaces.data?.items ?? [])
    .map((space) => ({ id: space.id, name: space.name }))
    .sort((a, b) => compareNames(a.name, b.name));
  // A private space the viewer cannot list still shows as where the being is now.
  if (being.locationId && !places.some((space) => space.id === being.locationId)) {
    places.unshift({ id: being.locationId, name: being.locationId });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    move.reset();
    const saved = await update
      .mutateAsync({ id: being.id, name, content, ...(isSpace ? { visibility } : {}) })
      .catch(() => undefined);
    if (!saved) return;
    if (movable && locationId && locationId !== being.locationId) {
      const moved = await move.mutateAsync({ id: being.id, locationId }).catch(() => undefined);
      if (!moved) return;
    }
    await queryClient.invalidateQueries({ queryKey: trpc.being.pathKey() });
    router.push(beingHref(being.id));
  }

  return (
    <FormPage title={`Edit ${being.name}`} lead={<code>{being.id}</code>}>
      <form onSubmit={onSubmit}>
        <FormError error={update.error ?? move.error} />
        <Field label="Name">
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={LIMITS.nameMax}
          />
        </Field>
        {isSpace && (
          <Field label="Who can see it">
            <select
              className="input"
              value={visibility}
              onChange={(e) => setVisibility(e.target.value === 'private' ? 'private' : 'public')}
            >
              <option value="public">Public — anyone can read it</option>
              <option value="private">Private — only you and members</option>
            </select>
          </Field>
        )}
        {movable && (
          <Field label="Where it is" hint={answers ? 'It answers in this space.' : undefined}>
            <select
              className="input"
              value={locationId}
              onChange={(e) => setLocationId(e.target.value)}
              disabled={spaces.isPending}
            >
              {!being.locationId && <option value="">Nowhere yet</option>}
              {places.map((space) => (
                <option key={space.id} value={space.id}>
                  #{space.name.replace(/^@/, '')}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={isSpace ? 'Description' : 'About'} hint="Markdown works.">
          <textarea className="input" rows={8} value={content} onChange={(e) => setContent(e.target.value)} />
        </Field>
        <div style={{ display: 'flex', gap: 8 }}>
          <button
            type="submit"
            className="button button-primary"
            disabled={update.isPending || move.isPending || !name.trim()}
          >
            {update.isPending || move.isPending ? 'Saving…' : 'Save'}
          </button>
          <Link className="button button-quiet" href={beingHref(being.id)}>
            Cancel
          </Link>
        </div>
      </form>
      {isSpace && <SpaceMembers space={being} />}
      <DeleteBeing being={being} />
    </FormPage>
  );
}
