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

/** A refusal that came before anything was written, saying so. */
export const unchanged = (why: string): UserError => new UserError(`${why} Chưa có gì thay đổi.`);
