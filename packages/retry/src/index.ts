export { type BackoffPolicy, backoffDelay } from './backoff.ts';
export { Retrier, type RetrierOptions } from './retrier.ts';
export { Timer } from './timer.ts';
