import { type ReactNode, Suspense } from 'react';
import { AppRail } from '@/components/shell/AppRail';
import { SkipLink } from '@/components/shell/SkipLink';
import styles from './shell.module.css';

/**
 * Every signed-in view shares the rail of spaces on the left; the page fills the rest. Each is a Suspense
 * boundary so React hydrates them apart, in slices it yields between (a boundary hydrates at low priority,
 * unless someone interacts with it first), instead of in one long task with the shell.
 */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <SkipLink />
      <Suspense>
        <AppRail />
      </Suspense>
      <main className={styles.main}>
        <Suspense>{children}</Suspense>
      </main>
    </div>
  );
}
