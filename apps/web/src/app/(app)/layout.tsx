import { type ReactNode, Suspense } from 'react';
import { AppRail } from '@/components/shell/AppRail';
import { SkipLink } from '@/components/shell/SkipLink';
import styles from './shell.module.css';

/**
 * Every signed-in view shares the rail of spaces on the left; the page fills the rest. The rail is a
 * Suspense boundary so React hydrates it apart from the page, in a slice of its own (the parts of a space
 * have theirs). The page itself is not wrapped: a boundary around it would stream the shell before the page
 * decides it does not exist, and a missing or private being would answer 200 instead of 404.
 */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <SkipLink />
      <Suspense>
        <AppRail />
      </Suspense>
      <main className={styles.main}>{children}</main>
    </div>
  );
}
