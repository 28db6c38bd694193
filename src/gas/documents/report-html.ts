/** The HTML of the report dialogs: a list of findings, each with a button that jumps to its cell. */
import { problemPlace, type Problem } from "../../core/problem";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export interface ReportLine {
  school?: string;
  problem: Problem;
}

/** A school's state in one phrase, as its status block says it. */
export interface StateLine {
  school: string;
  state: string;
}

const stateItem = (s: StateLine) => `<li><b>${escapeHtml(s.school)}</b>: ${escapeHtml(s.state)}</li>`;

export function reportHtml(title: string, intro: string, lines: ReportLine[], states: StateLine[] = []): string {
  const items = lines
    .map(({ school, problem }) => {
      const jump =
        problem.sheet && problem.cell && /^[A-Z]+\d+$/.test(problem.cell)
          ? `<button type="button" onclick="google.script.run.jumpToCell(${escapeHtml(JSON.stringify(problem.sheet))},${escapeHtml(JSON.stringify(problem.cell))})">Đến ô ${escapeHtml(problem.cell)}</button>`
          : "";
      const level = problem.severity === "warning" ? `<span class="warn">Lưu ý</span> ` : "";
      return `<li>${school ? `<b>${escapeHtml(school)}</b> — ` : ""}<span class="place">${escapeHtml(problemPlace(problem))}</span><br>${level}${escapeHtml(problem.message)} ${jump}</li>`;
    })
    .join("");
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><base target="_top"><style>
body{font-family:Arial,sans-serif;font-size:14px;margin:12px;color:#202124}
h2{font-size:16px;margin:0 0 8px}ul{padding-left:18px}li{margin:0 0 10px}
.place{color:#5f6368}.warn{color:#b06000;font-weight:bold}button{margin-left:6px}
</style></head><body><h2>${escapeHtml(title)}</h2><p>${escapeHtml(intro)}</p>${
    states.length ? `<ul class="states">${states.map(stateItem).join("")}</ul>` : ""
  }${lines.length ? `<ul>${items}</ul>` : ""}</body></html>`;
}
