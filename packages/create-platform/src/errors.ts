/** A mistake in how the command was called or answered: exit code 2, nothing written. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
