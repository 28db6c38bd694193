/** A Nhật ký row's identity (the "Mã dòng" column), in a module of its own so that the queue can give one too. */

/** Unique enough for one spreadsheet's Nhật ký: the time and a random tail, no service call. */
export const newAuditId = (): string =>
  `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0")}`;
