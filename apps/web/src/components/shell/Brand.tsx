import { Link } from '@/components/ui/Link';
import styles from './Brand.module.css';

/** The wordmark: a small root-like mark and the name. */
export function Brand() {
  return (
    <Link href="/" className={styles.brand}>
      <svg className={styles.mark} viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="5" r="2.6" />
        <circle cx="5" cy="18" r="2.6" />
        <circle cx="19" cy="18" r="2.6" />
        <path d="M12 7.6v4.4M12 12l-6 4.2M12 12l6 4.2" fill="none" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <span>rhizom</span>
    </Link>
  );
}
