/** What makes a roll-up impossible: the edge names the inputs and the user fixes them. */
export class AcademyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AcademyError";
  }
}
