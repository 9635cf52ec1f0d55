import type { Metadata } from 'next';
import { AuthPanel } from '@/components/auth/AuthPanel';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<{ next?: string; mode?: string }> };

export default async function Page({ searchParams }: Props) {
  const { next, mode } = await searchParams;
  return (
    <AuthPanel
      next={safeNext(next)}
      initialMode={mode === 'sign-up' || mode === 'sign-in' ? mode : 'guest'}
    />
  );
}

/** Only same-site paths: an open redirect through the sign-in page would be a phishing aid. */
function safeNext(next: string | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
