/**
 * The previous version of a generated chart, for upgrade tests: the newest commit whose
 * `generated/<chart>/Chart.yaml` carries a version other than the working tree's, written out with `git show` into a
 * directory of its own. When git holds no older version (a chart not yet committed, or committed only at the current
 * version), the documented fallback is the current chart under a lower version (`<version>-previous`, which sorts
 * before `<version>` in SemVer), so an upgrade still runs, though not across a real change.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { run } from "../lib/run.js";

export interface PreviousChart {
  chart: string;
  /** Directory of the previous chart. */
  dir: string;
  version: string;
  currentVersion: string;
  /** The commit it came from, or undefined for the fallback. */
  commit?: string;
  source: "git" | "fallback";
}

const versionOf = (chartYaml: string): string | undefined => /^version:\s*["']?([^"'\s]+)/m.exec(chartYaml)?.[1];

const git = async (root: string, args: string[]): Promise<{ ok: boolean; out: string }> => {
  const res = await run("git", args, { cwd: root });
  return { ok: res.exitCode === 0, out: res.stdout };
};

/** Writes a chart directory's files as they are in `commit` into `dest`. */
const writeChartAt = async (root: string, chartPath: string, dest: string, commit: string): Promise<void> => {
  const files = (await git(root, ["ls-tree", "-r", "--name-only", commit, "--", chartPath])).out.split("\n");
  for (const file of files.filter(Boolean)) {
    const target = join(dest, file.slice(chartPath.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, (await git(root, ["show", `${commit}:${file}`])).out);
  }
};

export const previousChart = async (root: string, chart: string, workDir: string): Promise<PreviousChart> => {
  const chartPath = `generated/${chart}`;
  const currentVersion = versionOf(readFileSync(join(root, chartPath, "Chart.yaml"), "utf8"));
  if (!currentVersion) throw new Error(`${chartPath}/Chart.yaml has no version`);
  const dir = join(workDir, `${chart}-previous`);
  rmSync(dir, { recursive: true, force: true });

  const log = await git(root, ["log", "--format=%H", "--", `${chartPath}/Chart.yaml`]);
  for (const commit of log.ok ? log.out.split("\n").filter(Boolean) : []) {
    const shown = await git(root, ["show", `${commit}:${chartPath}/Chart.yaml`]);
    const version = shown.ok ? versionOf(shown.out) : undefined;
    if (version && version !== currentVersion) {
      await writeChartAt(root, chartPath, dir, commit);
      return { chart, dir, version, currentVersion, commit, source: "git" };
    }
  }

  cpSync(join(root, chartPath), dir, { recursive: true });
  const version = `${currentVersion}-previous`;
  const chartYaml = join(dir, "Chart.yaml");
  writeFileSync(chartYaml, readFileSync(chartYaml, "utf8").replace(/^version:.*$/m, `version: ${version}`));
  return { chart, dir, version, currentVersion, source: "fallback" };
};
