'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Brand } from '@/components/shell/Brand';
import { Field } from '@/components/ui/Field';
import { FormError } from '@/components/ui/FormError';
import { Link } from '@/components/ui/Link';
import { LIMITS } from '@/domain/limits';
import { continueAsGuest, signIn, signUp, useSession } from '@/lib/auth-client';
import { useHydrated } from '@/lib/use-hydrated';
import styles from './AuthPanel.module.css';

type Mode = 'guest' | 'sign-in' | 'sign-up';

const TABS: { mode: Mode; label: string }[] = [
  { mode: 'guest', label: 'Guest' },
  { mode: 'sign-in', label: 'Sign in' },
  { mode: 'sign-up', label: 'Sign up' },
];

/** One place to get in: as a guest with just a name, with an account, or by creating one. */
export function AuthPanel({ next, initialMode }: { next: string; initialMode: Mode }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Until React has attached its handlers a submit would be a plain GET carrying the fields (a password
  // among them) in the URL, and typed text could be reset by hydration: keep the form inert until then.
  const hydrated = useHydrated();
  const session = useSession();
  const current = session.data?.user;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const result =
      mode === 'guest'
        ? await continueAsGuest(name)
        : mode === 'sign-in'
          ? await signIn.email({ email, password })
          : await signUp.email({ email, password, name });
    if (result.error) {
      setError(result.error.message ?? 'That did not work. Check the fields and try again.');
      setBusy(false);
      return;
    }
    // Every cached query was answered for the previous visitor.
    queryClient.clear();
    router.replace(next);
    router.refresh();
  }

  return (
    <div className={styles.page}>
      <main className={styles.panel}>
        <div className={styles.brand}>
          <Brand />
        </div>
        <h1 className={styles.title}>{mode === 'sign-up' ? 'Create your account' : 'Come on in'}</h1>
        <p className={styles.lead}>Spaces where people, bots and documents talk — live.</p>
        {current && (
          <p className={styles.current}>
            You are signed in as <strong>{current.name}</strong>. <Link href={next}>Go back</Link>, or{' '}
            {current.isAnonymous ? 'sign in to an account' : 'switch account'} below.
          </p>
        )}

        <div className={styles.tabs} role="tablist" aria-label="How to sign in">
          {TABS.map((tab) => (
            <button
              key={tab.mode}
              type="button"
              role="tab"
              aria-selected={mode === tab.mode}
              className={styles.tab}
              onClick={() => {
                setMode(tab.mode);
                setError(undefined);
              }}
            >
              {tab.label}
            </button>
          ))}
        </div>

        <form className={styles.form} onSubmit={onSubmit} method="post" role="tabpanel">
          <fieldset className={styles.fields} disabled={!hydrated}>
            <FormError error={error} />
            {mode !== 'sign-in' && (
              <Field label={mode === 'guest' ? 'Display name' : 'Name'}>
                <input
                  className="input"
                  name="name"
                  autoComplete="nickname"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  required
                  maxLength={LIMITS.nameMax}
                  placeholder={mode === 'guest' ? 'What should people call you?' : 'Ada Lovelace'}
                />
              </Field>
            )}
            {mode !== 'guest' && (
              <>
                <Field label="Email">
                  <input
                    className="input"
                    type="email"
                    name="email"
                    autoComplete="email"
                    value={email}
                    onChange={(e) => setEmail(e.target.value)}
                    required
                  />
                </Field>
                <Field label="Password" hint={mode === 'sign-up' && 'At least 8 characters.'}>
                  <input
                    className="input"
                    type="password"
                    name="password"
                    autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    required
                    minLength={mode === 'sign-up' ? 8 : undefined}
                  />
                </Field>
              </>
            )}
            <button type="submit" className={`button button-primary ${styles.submit}`} disabled={busy}>
              {busy
                ? 'One moment…'
                : mode === 'guest'
                  ? 'Continue as guest'
                  : mode === 'sign-in'
                    ? 'Sign in'
                    : 'Create account'}
            </button>
          </fieldset>
          {mode === 'guest' && (
            <p className={styles.note}>
              Guests can talk in public spaces and start their own. Create an account to keep your name across
              devices.
            </p>
          )}
        </form>
      </main>
    </div>
  );
}
