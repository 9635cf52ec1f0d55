'use client';

import { useEffect, useState } from 'react';

/**
 * False in the server HTML and until React has hydrated this component. Forms stay disabled until then:
 * text typed into a controlled field before hydration stays in the DOM but never reaches React state (so a
 * submit button keyed to it stays disabled and Enter has no handler), and a native submit would be a GET.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
