'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import type { BeingItem } from '@/components/space/types';
import { Field } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { FormPage } from '@/components/ui/FormPage';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { beingHref } from '@/lib/being-id';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';

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
  const update = useMutation(trpc.being.update.mutationOptions());
  const isSpace = being.type === 'space';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const saved = await update
      .mutateAsync({ id: being.id, name, content, ...(isSpace ? { visibility } : {}) })
      .catch(() => undefined);
    if (!saved) return;
    await queryClient.invalidateQueries({ queryKey: trpc.being.pathKey() });
    router.push(beingHref(being.id));
  }

  return (
    <FormPage title={`Edit ${being.name}`} lead={<code>{being.id}</code>}>
      <form onSubmit={onSubmit}>
        <FormError error={update.error} />
        <Field label="Name">
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
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
        <Field label={isSpace ? 'Description' : 'About'} hint="Markdown works.">
          <textarea className="input" rows={8} value={content} onChange={(e) => setContent(e.target.value)} />
        </Field>
        <div style={{ display: 'flex', gap: 8 }}>
          <button type="submit" className="button button-primary" disabled={update.isPending || !name.trim()}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          <Link className="button button-quiet" href={beingHref(being.id)}>
            Cancel
          </Link>
        </div>
      </form>
    </FormPage>
  );
}
