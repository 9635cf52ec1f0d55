import styles from './Avatar.module.css';

export interface AvatarBeing {
  id: string;
  name: string;
  type: string;
}

/** A stable hue per being id, so a person keeps their colour everywhere. */
export function hueOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % 360;
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [name.trim()];
  return (
    letters
      .map((w) => Array.from(w ?? '')[0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

export function Avatar({ being, size = 36 }: { being: AvatarBeing; size?: number }) {
  return (
    <span
      aria-hidden="true"
      className={`${styles.avatar} ${styles[being.type] ?? ''}`}
      style={{ width: size, height: size, fontSize: size * 0.4, ['--hue' as string]: hueOf(being.id) }}
    >
      {being.type === 'space' ? '#' : initialsOf(being.name)}
    </span>
  );
}
