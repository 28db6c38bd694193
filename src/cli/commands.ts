/** The commands of the command line, each with its Vietnamese help. */
import { aggregateCluster } from "../core/aggregate";
import { scoreCluster } from "../core/score";
import { submissionsFromFigures } from "../core/figures-file";
import { bundledDefinitionPath, loadDefinitionFile, loadSampleFigures, SAMPLE_CLUSTERS } from "./definitions";
import { renderSummary } from "./print";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface OptionSpec {
  name: string;
  flag: string;
  type: "string" | "boolean";
  multiple?: boolean;
  help: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
  positionals: boolean;
  details?: string;
  run: (values: Record<string, unknown>, positionals: string[], io: Io) => Promise<number>;
}

const demo: Command = {
  name: "chay-thu",
  summary: "Chạy thử toàn bộ quy trình trên các cụm mẫu kèm theo.",
  usage: "chay-thu",
  options: [],
  positionals: false,
  details: "Dùng số liệu mẫu của Cụm Nam Trung bộ và Tây Nguyên năm 2023 và Cụm thi đua số 7 Tây Nguyên năm 2020.",
  async run(_values, _positionals, io) {
    for (const id of SAMPLE_CLUSTERS) {
      const def = loadDefinitionFile(bundledDefinitionPath(id));
      const figures = loadSampleFigures(def);
      const summary = aggregateCluster(def, submissionsFromFigures(def, figures, `${id}.json`));
      io.out(renderSummary(summary, scoreCluster(summary)));
      io.out("\n" + "─".repeat(100) + "\n");
    }
    return 0;
  },
};

export const COMMANDS: Command[] = [demo];
