// Preloaded into a child process by cliAt (tests/helpers/cli.ts): the process's clock starts at CUM_THI_DUA_TEST_NOW
// and runs on from there, so a year can be locked "on" a past day and reviewed at a meeting after it.
const start = Date.parse(globalThis.process.env.CUM_THI_DUA_TEST_NOW ?? "");
if (!Number.isNaN(start)) {
  const RealDate = Date;
  const offset = start - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
