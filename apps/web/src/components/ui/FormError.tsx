import { errorMessage } from '@/lib/error-message';

/**
 * The alert above a form after a submit failed: the given text, or the server's words for an error.
 * Renders nothing when there is no error.
 */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {typeof error === 'string' ? error : errorMessage(error)}
    </p>
  );
}
