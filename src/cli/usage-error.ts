/** Exit code for a command line spanwise does not understand. */
export const EXIT_USAGE = 2;

/** A bad command line: the message is printed with the usage, and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
