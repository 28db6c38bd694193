/**
 * An error the user can fix: shown as its (Vietnamese) message, never with a
 * stack trace — an exit code on the command line, an alert in the Sheet.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}
