import { HttpError } from '../http/http-error.ts';

/** A token or grant refusal with the HTTP status the LiveKit server would answer (401, 400, …). */
export class AuthError extends HttpError {
  constructor(status: number, message: string) {
    super(status, message);
    this.name = 'AuthError';
  }
}
