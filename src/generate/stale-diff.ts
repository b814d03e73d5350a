/**
 * `generate --check` says what is stale, not only that something is: per file, the lines added and removed and the
 * first lines of a unified diff, made by `git diff --no-index` (git is on every machine that has this repository; no
 * diff library to keep). Without git, the file list with line counts of its own.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export interface StaleFile {
  /** Path from the repository root. */
  path: string;
  added: number;
  removed: number;
  /** The unified diff's lines (headers naming `a/<path>` and `b/<path>`), at most `maxLines` of them. */
  diff: string[];
  /** Diff lines left out. */
  more: number;
}

const lineCount = (text: string): number => (text === "" ? 0 : text.replace(/\n$/, "").split("\n").length);

/**
 * What would change in `path` (absolute, under `root`): `expected` is what generate would write, undefined when it
 * would remove the file.
 */
export const staleFile = (root: string, path: string, expected: string | undefined, maxLines = 20): StaleFile => {
  const rel = relative(root, path);
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  const work = mkdtempSync(join(tmpdir(), "llmcharts-stale-"));
  try {
    const wanted = join(work, "wanted");
    if (expected !== undefined) writeFileSync(wanted, expected);
    const git = spawnSync(
      "git",
      [
        "diff",
        "--no-index",
        "--no-color",
        "--unified=2",
        "--",
        current === undefined ? "/dev/null" : path,
        expected === undefined ? "/dev/null" : wanted,
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    // git diff --no-index exits 1 when the files differ.
    if (git.error || (git.status !== 0 && git.status !== 1))
      return {
        path: rel,
        added: lineCount(expected ?? ""),
        removed: lineCount(current ?? ""),
        diff: [],
        more: 0,
      };
    const body = git.stdout
      .replace(/\n$/, "")
      .split("\n")
      .filter((l) => !l.startsWith("diff --git") && !l.startsWith("index ") && !/^(new|deleted) file mode/.test(l))
      .map((l) =>
        l.startsWith("--- ")
          ? `--- ${current === undefined ? "/dev/null" : `a/${rel}`}`
          : l.startsWith("+++ ")
            ? `+++ ${expected === undefined ? "/dev/null" : `b/${rel}`}`
            : l,
      );
    const changes = body.filter((l) => !l.startsWith("--- ") && !l.startsWith("+++ "));
    return {
      path: rel,
      added: changes.filter((l) => l.startsWith("+")).length,
      removed: changes.filter((l) => l.startsWith("-")).length,
      diff: body.slice(0, maxLines),
      more: Math.max(0, body.length - maxLines),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
