'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Field, FieldGroup } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { FormPage } from '@/components/ui/FormPage';
import { LIMITS } from '@/domain/limits';
import { beingHref } from '@/lib/being-id';
import { useTRPC } from '@/lib/trpc';
import { useHydrated } from '@/lib/use-hydrated';
import { useMe } from '@/lib/use-me';
import styles from './CreateSpace.module.css';

const VISIBILITY_OPTIONS = [
  { value: 'public', title: 'Public', hint: 'Anyone can read it; anyone signed in can post.' },
  { value: 'private', title: 'Private', hint: 'Only you and the members you add can see it.' },
] as const;

export function CreateSpace() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useMe();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [description, setDescription] = useState('');
  const create = useMutation(trpc.being.create.mutationOptions());
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const space = await create
      .mutateAsync({
        type: 'space',
        name,
        visibility,
        content: description,
        ...(id.trim() ? { id: id.trim() } : {}),
      })
      .catch(() => undefined);
    if (!space) return;
    await queryClient.invalidateQueries({ queryKey: trpc.being.search.queryKey() });
    router.push(beingHref(space.id));
  }

  if (me.being === null) {
    return (
      <FormPage title="Start a space" lead="Sign in or continue as a guest to start a space.">
        <a className="button button-primary" href="/sign-in?next=/spaces/new">
          Sign in
        </a>
      </FormPage>
    );
  }

  return (
    <FormPage
      title="Start a space"
      lead="A place for people, bots and documents to gather. You can change all of this later."
    >
      <form onSubmit={onSubmit}>
        <FormError error={create.error} />
        <fieldset className={styles.fields} disabled={!hydrated}>
          <Field label="Name">
            <input
              className="input"
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={LIMITS.nameMax}
              placeholder="Reading group"
            />
          </Field>
          <Field
            label="Address (optional)"
            hint={
              id.trim()
                ? `The space will live at /being/${id.trim()}.`
                : 'Leave it empty to derive it from the name.'
            }
          >
            <input
              className={`input ${styles.mono}`}
              name="id"
              value={id}
              onChange={(e) => setId(e.target.value)}
              placeholder="@reading-group"
              spellCheck={false}
              autoCapitalize="off"
            />
          </Field>
          <FieldGroup legend="Who can see it">
            {VISIBILITY_OPTIONS.map((option) => (
              <label key={option.value} className={styles.option}>
                <input
                  type="radio"
                  name="visibility"
                  value={option.value}
                  checked={visibility === option.value}
                  onChange={() => setVisibility(option.value)}
                />
                <span>
                  <strong>{option.title}</strong>
                  <span className={styles.optionHint}>{option.hint}</span>
                </span>
              </label>
            ))}
          </FieldGroup>
          <Field label="Description">
            <textarea
              className="input"
              name="description"
              rows={4}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="What is this space for? Markdown works."
            />
          </Field>
          <div>
            <button
              type="submit"
              className="button button-primary"
              disabled={create.isPending || !name.trim()}
            >
              {create.isPending ? 'Creating…' : 'Create space'}
            </button>
          </div>
        </fieldset>
      </form>
    </FormPage>
  );
}
