import { expect } from 'vitest';

export type TwirpFailure = { status: number; code?: string; message: string };

/** Awaits a livekit-server-sdk call that must fail and keeps the parts of its Twirp error a test compares. */
export async function twirpFailure(promise: Promise<unknown>): Promise<TwirpFailure> {
  const error = (await promise.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  )) as TwirpFailure;
  return { status: error.status, code: error.code, message: error.message };
}
