'use client';

import type { BeingView } from '@rhizom/sync';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { LIMITS } from '@/domain/limits';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import styles from './AddBot.module.css';
import { ModelInput, SystemPromptInput } from './SettingsInputs';

/**
 * "Add a bot" for a space: a bot being located in the space, owned by whoever adds it. Anyone signed in who
 * can see the space may place a being in it (`beings.create`), so the caller shows this to exactly them.
 */
export function AddBot({ spaceId, spaceName }: { spaceId: string; spaceName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={`button button-quiet ${styles.add}`} onClick={() => setOpen(true)}>
        <span className={styles.plus} aria-hidden="true">
          +
        </span>
        Add a bot
      </button>
      {open && (
        <Dialog title="Add a bot" onClose={() => setOpen(false)}>
          <AddBotForm spaceId={spaceId} spaceName={spaceName} onAdded={() => setOpen(false)} />
        </Dialog>
      )}
    </>
  );
}

function AddBotForm({
  spaceId,
  spaceName,
  onAdded,
}: {
  spaceId: string;
  spaceName: string;
  onAdded: () => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.being.create.mutationOptions());
  const update = useMutation(trpc.bot.updateSettings.mutationOptions());
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [systemPrompt, setSystemPrompt] = useState('');
  // Once the bot exists, submitting again only retries its settings: one click never makes two bots.
  const [created, setCreated] = useState<BeingView | null>(null);
  const pending = create.isPending || update.isPending;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const bot =
      created ??
      (await create
        .mutateAsync({ type: 'bot', name: name.trim(), locationId: spaceId })
        .catch(() => undefined));
    if (!bot) return;
    setCreated(bot);
    const settings = {
      model: model.trim() || undefined,
      systemPrompt: systemPrompt.trim() ? systemPrompt : undefined,
    };
    if (settings.model !== undefined || settings.systemPrompt !== undefined) {
      const saved = await update
        .mutateAsync({ botId: bot.id, ...settings })
        .then(() => true)
        .catch(() => false);
      if (!saved) return;
    }
    onAdded();
  }

  return (
    <form onSubmit={onSubmit} className={styles.form}>
      <p className={styles.lead}>
        It answers every message people post in #{spaceName}. You own it: only you can change its settings.
      </p>
      <FormError error={create.error} />
      <FormError
        error={
          created &&
          update.error &&
          `${created.name} (${created.id}) was added, but its settings were not saved: ${errorMessage(update.error)} Correct them and save again.`
        }
      />
      <Field
        label="Name"
        hint={created ? `Added as ${created.id}.` : 'Its address is derived from the name: Helper → @helper.'}
      >
        <input
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={LIMITS.nameMax}
          placeholder="Helper"
          readOnly={created !== null}
          // biome-ignore lint/a11y/noAutofocus: the dialog opens to type a name; focus belongs there.
          autoFocus
        />
      </Field>
      <Field label="System prompt (optional)">
        <SystemPromptInput rows={4} value={systemPrompt} onChange={setSystemPrompt} />
      </Field>
      <Field
        label="Model (optional)"
        hint={
          <>
            The provider and API key are set afterwards in its settings (the sliders next to it in this
            space). With no provider set there or by the server, it answers as the offline bot.
          </>
        }
      >
        <ModelInput value={model} onChange={setModel} />
      </Field>
      <div className={styles.actions}>
        <button type="submit" className="button button-primary" disabled={pending || !name.trim()}>
          {pending ? 'Adding…' : created ? 'Save settings' : 'Add bot'}
        </button>
      </div>
    </form>
  );
}
