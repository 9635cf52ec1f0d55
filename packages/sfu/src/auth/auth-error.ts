/** A refusal with the HTTP status the LiveKit server would answer (401 bad token, 400 bad request, …). */
export class AuthError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
  }
}
