'use client';

import { useState } from 'react';
import type { BeingItem } from '@/components/space/types';
import { Dialog } from '@/components/ui/Dialog';
import styles from './BotSettingsButton.module.css';
import { BotSettingsPanel } from './BotSettingsPanel';

/** The owner's settings button (sliders) beside a bot in a space: opens the bot's panel in a dialog. */
export function BotSettingsButton({ bot }: { bot: Pick<BeingItem, 'id' | 'name'> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={styles.settings}
        aria-label={`Settings for ${bot.name}`}
        title="Bot settings"
        onClick={() => setOpen(true)}
      >
        <svg viewBox="0 0 20 20" aria-hidden="true">
          <path d="M3 6.5h14M3 13.5h14" />
          <circle cx="7.5" cy="6.5" r="2.2" />
          <circle cx="12.5" cy="13.5" r="2.2" />
        </svg>
      </button>
      {open && (
        <Dialog title={`${bot.name} · settings`} onClose={() => setOpen(false)}>
          <BotSettingsPanel botId={bot.id} embedded />
        </Dialog>
      )}
    </>
  );
}
