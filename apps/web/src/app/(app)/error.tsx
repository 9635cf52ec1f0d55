'use client';

import { ErrorState } from '@/components/ui/States';

/** A render error inside the app keeps the rail and offers a retry instead of a blank page. */
export default function AppError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorState
      title="This view stopped working"
      message={error.digest ? `Something broke on our side (reference ${error.digest}).` : error.message}
      onRetry={reset}
    />
  );
}
