import type { Metadata } from 'next';
import { AuthPanel } from '@/components/auth/AuthPanel';
import { safeNext } from '@/lib/safe-next';

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
