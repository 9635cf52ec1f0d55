import type { ReactNode } from 'react';
import { AppRail } from '@/components/shell/AppRail';
import { SkipLink } from '@/components/shell/SkipLink';
import styles from './shell.module.css';

/** Every signed-in view shares the rail of spaces on the left; the page fills the rest. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <SkipLink />
      <AppRail />
      <main className={styles.main}>{children}</main>
    </div>
  );
}
