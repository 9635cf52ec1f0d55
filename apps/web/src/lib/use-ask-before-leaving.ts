import { useEffect } from 'react';

/**
 * While `active`, closing, reloading or leaving the page makes the browser ask first ("Leave site?"):
 * for work that would be lost, such as a message not sent yet.
 */
export function useAskBeforeLeaving(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [active]);
}
