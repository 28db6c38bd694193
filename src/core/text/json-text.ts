/**
 * The one reader of JSON written or edited by people (cluster definitions, registers, rules, records): a byte-order
 * mark accepted, and a syntax error said in Vietnamese by line and column with the usual causes, never the
 * engine's English.
 */

export class JsonTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonTextError";
  }
}

/** The parsed value; `what` names the file in the message ("tệp định nghĩa", "tệp sổ đăng ký"). */
export function parseJsonText(text: string, what: string): unknown {
  // Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new JsonTextError(jsonSyntaxMessage(body, (e as Error).message, what));
  }
}

/** Where JSON.parse stopped, as line and column, with the usual causes, in Vietnamese. */
export function jsonSyntaxMessage(text: string, engineMessage: string, what: string): string {
  const lc = /line (\d+) column (\d+)/.exec(engineMessage);
  const pos = /position (\d+)/.exec(engineMessage);
  let line: number | undefined;
  let column: number | undefined;
  if (lc) {
    line = Number(lc[1]);
    column = Number(lc[2]);
  } else if (pos) {
    const before = text.slice(0, Number(pos[1]));
    line = before.split("\n").length;
    column = before.length - before.lastIndexOf("\n");
  }
  const hint =
    "Hay gặp: thiếu dấu phẩy giữa hai mục, dấu phẩy thừa trước } hoặc ], chữ thiếu " +
    "dấu ngoặc kép, hoặc thiếu dấu đóng ngoặc.";
  if (line === undefined) {
    const problem = /end of JSON|Unexpected end/i.test(engineMessage)
      ? "tệp kết thúc khi còn ngoặc chưa đóng"
      : "lỗi cú pháp";
    return `${what} không phải JSON hợp lệ: ${problem}. ${hint}`;
  }
  const shown = (text.split("\n")[line - 1] ?? "").trim();
  const near = shown.length > 60 ? shown.slice(0, 57) + "…" : shown;
  return (
    `${what} không phải JSON hợp lệ: lỗi cú pháp ở dòng ${line}, ` +
    `cột ${column}${near ? ` (dòng đó: ${near})` : ""}. ${hint}`
  );
}
