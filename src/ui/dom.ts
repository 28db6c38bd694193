/** A few DOM helpers for the dialogs: elements from data, text always escaped by the DOM. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export function app(): HTMLElement {
  return document.getElementById("app")!;
}

export function show(...nodes: (Node | string)[]): void {
  app().replaceChildren(...nodes);
}

export function status(text: string, kind: "info" | "error" | "ok" = "info"): HTMLElement {
  return h("p", { class: `status ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/** Escape closes the dialog, as people expect of a dialog. */
export function closeOnEscape(close: () => void): void {
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
}

export function download(bytes: Uint8Array, name: string): void {
  const blob = new Blob([new Uint8Array(bytes)], {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}
