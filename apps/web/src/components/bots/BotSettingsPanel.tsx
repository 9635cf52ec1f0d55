'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { BOT_SETTINGS_LIMITS } from '@/bots/settings-limits';
import { Field } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { ErrorState, LoadingState } from '@/components/ui/States';
import { LIMITS } from '@/domain/limits';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import styles from './BotSettingsPanel.module.css';
import { ModelInput, SystemPromptInput } from './SettingsInputs';

/**
 * The owner's panel for a bot: provider, model, prompt, pace and API key. The key field starts empty
 * every time — the server never sends a stored key back, only whether one is set. `embedded` drops the
 * card around it, for a dialog that already frames it and names the bot.
 */
export function BotSettingsPanel({ botId, embedded = false }: { botId: string; embedded?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.bot.settings.queryOptions({ botId }));
  const update = useMutation(trpc.bot.updateSettings.mutationOptions());
  const setKey = useMutation(trpc.bot.setKey.mutationOptions());
  const [providerUrl, setProviderUrl] = useState('');
  const [model, setModel] = useState('');
  const [systemPrompt, setSystemPrompt] = useState('');
  const [repliesPerMinute, setRepliesPerMinute] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [saved, setSaved] = useState(false);

  // The fields take each newly loaded settings object during render, not in an effect, so the form
  // never paints once with empty fields that someone could start typing into.
  const settings = current.data?.settings;
  const [shownSettings, setShownSettings] = useState<typeof settings>();
  if (settings && settings !== shownSettings) {
    setShownSettings(settings);
    setProviderUrl(settings.providerUrl ?? '');
    setModel(settings.model ?? '');
    setSystemPrompt(settings.systemPrompt ?? '');
    setRepliesPerMinute(settings.repliesPerMinute ? String(settings.repliesPerMinute) : '');
  }

  if (current.isPending) return <LoadingState label="Loading bot settings…" />;
  if (current.isError) {
    return <ErrorState title="Bot settings could not be loaded" message={errorMessage(current.error)} />;
  }
  const { hasKey, provider } = current.data;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.bot.settings.queryKey({ botId }) });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const perMinute = repliesPerMinute.trim() === '' ? null : Number(repliesPerMinute);
    const ok = await update
      .mutateAsync({
        botId,
        providerUrl: providerUrl.trim() || null,
        model: model.trim() || null,
        systemPrompt: systemPrompt.trim() ? systemPrompt : null,
        repliesPerMinute: perMinute,
      })
      .then(() => true)
      .catch(() => false);
    if (!ok) return;
    if (apiKey.trim()) {
      const keyOk = await setKey
        .mutateAsync({ botId, apiKey })
        .then(() => true)
        .catch(() => false);
      if (!keyOk) return;
      setApiKey('');
    }
    await refresh();
    setSaved(true);
  }

  async function removeKey() {
    setSaved(false);
    const ok = await setKey
      .mutateAsync({ botId, apiKey: null })
      .then(() => true)
      .catch(() => false);
    if (ok) await refresh();
  }

  const failure = update.error ?? setKey.error;
  return (
    <section
      className={embedded ? undefined : styles.panel}
      aria-labelledby="bot-settings-heading"
      id="settings"
    >
      <h2 id="bot-settings-heading" className={embedded ? 'visually-hidden' : styles.heading}>
        Bot settings
      </h2>
      <p className={styles.status}>
        {'problem' in provider ? (
          <span className={styles.problem}>{provider.problem}</span>
        ) : (
          <>
            Answers with <strong>{provider.label}</strong>
            {provider.offline &&
              ' — set a provider and key below, or ask the server operator to set BOT_PROVIDER_URL.'}
          </>
        )}
      </p>
      <form onSubmit={onSubmit} className={styles.form}>
        <FormError error={failure} />
        <Field
          label="Provider URL"
          hint="Any OpenAI-compatible API. Leave empty to use the server’s provider (or OpenRouter when you set a key)."
        >
          <input
            className="input"
            value={providerUrl}
            onChange={(e) => setProviderUrl(e.target.value)}
            placeholder="https://openrouter.ai/api/v1"
            inputMode="url"
            maxLength={BOT_SETTINGS_LIMITS.providerUrlMax}
          />
        </Field>
        <Field label="Model">
          <ModelInput value={model} onChange={setModel} />
        </Field>
        <Field label="System prompt">
          <SystemPromptInput rows={5} value={systemPrompt} onChange={setSystemPrompt} />
        </Field>
        <Field label="Replies per minute">
          <input
            className="input"
            type="number"
            min={1}
            max={BOT_SETTINGS_LIMITS.repliesPerMinuteMax}
            value={repliesPerMinute}
            onChange={(e) => setRepliesPerMinute(e.target.value)}
            placeholder="6"
          />
        </Field>
        <Field label="API key" hint="Write-only: the stored key is never shown again, to you or anyone else.">
          <input
            className="input"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={hasKey ? 'A key is set — type a new one to replace it' : 'No key set'}
            maxLength={LIMITS.apiKeyMax}
          />
        </Field>
        <div className={styles.actions}>
          <button
            type="submit"
            className="button button-primary"
            disabled={update.isPending || setKey.isPending}
          >
            {update.isPending || setKey.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {hasKey && (
            <button type="button" className="button" onClick={removeKey} disabled={setKey.isPending}>
              Remove key
            </button>
          )}
          {saved && (
            <span className={styles.saved} role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
