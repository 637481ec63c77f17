/**
 * A request that the workflow rejects. The kind decides the HTTP status: forbidden 403,
 * invalid 400, conflict 409. The code is stable for programs, the message is for people.
 */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';

  constructor(
    readonly kind: 'forbidden' | 'invalid' | 'conflict',
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
