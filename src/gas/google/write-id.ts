/**
 * The identity a write carries so that a retry can tell whether it landed:
 * a Nhật ký row's "Mã dòng", a file's creation key in Drive.
 */

/** Unique enough for one spreadsheet's Nhật ký or one user's files: the time and a random tail, no service call. */
export const newWriteId = (): string =>
  `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0")}`;
