/**
 * The shell commands of a README, as an operator reads them: every ```sh block, in order, with the heading it sits
 * under and, when the README says the tests do not run it, why. The marker is visible prose on the line before the
 * block, `*Not run by the tests: <why>.*`, so a reader sees which commands are proven.
 */
import { readFileSync } from "node:fs";

export interface ShellBlock {
  /** The README, as given. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block (without its #s). */
  section: string;
  /** The commands, with the fence's indentation removed (a block inside a list item is indented). */
  script: string;
  /** Why the tests do not run it, when the README says so. */
  notRun?: string;
}

const fence = /^(\s*)```sh\s*$/;
const closing = /^\s*```\s*$/;
const anyFence = /^\s*```\S+/;
const heading = /^#{1,6}\s+(.*?)\s*$/;
const marker = /^\s*\*Not run by the tests: (.+?)\.?\*\s*$/;

/** The ```sh blocks of markdown `text` (read from `file`). An unclosed block is an error naming its line. */
export const shellBlocks = (text: string, file: string): ShellBlock[] => {
  const lines = text.split("\n");
  const blocks: ShellBlock[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const h = heading.exec(line);
    if (h && !/^\s/.test(line)) section = h[1] ?? "";
    const open = fence.exec(line);
    if (!open) {
      // Another language's block: its lines are no headings (a YAML comment starts with #).
      if (anyFence.test(line))
        i = Math.max(
          i,
          lines.findIndex((l, j) => j > i && closing.test(l)),
        );
      continue;
    }
    const indent = open[1]?.length ?? 0;
    const end = lines.findIndex((l, j) => j > i && closing.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a \`\`\`sh block is never closed`);
    const script = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? "").trim() === "") before--;
    const notRun = marker.exec(lines[before] ?? "")?.[1];
    blocks.push({ file, line: i + 1, section, script, ...(notRun ? { notRun } : {}) });
    i = end;
  }
  return blocks;
};

/** The ```sh blocks of the README at `path`, named `file` in messages. */
export const readmeShellBlocks = (path: string, file = path): ShellBlock[] =>
  shellBlocks(readFileSync(path, "utf8"), file);
