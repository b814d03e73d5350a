import { spawnSync } from "node:child_process";
import { versionProblems } from "./versions.js";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { charts } from "../../charts-src/index.js";
import { alertTestsDir, renderAlertTestFiles } from "./alert-tests.js";
import { entryOf, howToAddEntry, readChangelog } from "./changelog.js";
import { chartFiles } from "./chart-files.js";
import { renderPolicyFiles } from "./policies.js";

export interface GenerateResult {
  /** Files that differ from what is on disk (written, or stale under --check). */
  changed: string[];
  /** Charts whose output changed while their version did not. */
  needsBump: string[];
  /** Charts whose version is not SemVer or went down, with the fix. */
  badVersions: string[];
  /** Charts whose version has no CHANGELOG.md entry, with how to add one. */
  needsChangelog: string[];
  /** What each generated file should hold; a changed file absent here is one to remove. */
  expected: ReadonlyMap<string, string>;
}

/** The record of each chart's version and output digest, so a changed chart without a new version is caught. */
const digestsFile = (root: string) => join(root, "generated", "digests.json");

type Digests = Record<string, { version: string; digest: string }>;

/**
 * Digests as of the last commit: a chart may change freely between commits, but what is committed with new output
 * must carry a new version.
 */
const committedDigests = (root: string): Digests => {
  const git = spawnSync("git", ["show", "HEAD:generated/digests.json"], { cwd: root, encoding: "utf8" });
  if (git.status === 0) return JSON.parse(git.stdout) as Digests;
  return existsSync(digestsFile(root)) ? (JSON.parse(readFileSync(digestsFile(root), "utf8")) as Digests) : {};
};

const listFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name))
    : [];

/**
 * Writes (or with `check`, only compares) generated/<chart>/ and schemas/<chart>.values.schema.json for every chart,
 * policies/ (the Kyverno policies and their `kyverno test` suites) and alert-tests/ (the alerts' `promtool test rules`
 * suites).
 */
export const generate = (root: string, { check = false } = {}): GenerateResult => {
  const wanted = new Map<string, string>();
  const digests: Digests = {};
  for (const chart of Object.values(charts)) {
    const files = chartFiles(chart, root);
    const hash = createHash("sha256");
    for (const [path, text] of Object.entries(files).filter(([p]) => p !== "Chart.yaml"))
      hash.update(`${path}\0${text}\0`);
    digests[chart.name] = { version: chart.version, digest: hash.digest("hex") };
    for (const [path, text] of Object.entries(files)) wanted.set(join(root, "generated", chart.name, path), text);
    wanted.set(join(root, "schemas", `${chart.name}.values.schema.json`), files["values.schema.json"] as string);
  }
  const previous = committedDigests(root);
  const needsBump = Object.entries(digests)
    .filter(([name, d]) => previous[name] && previous[name].version === d.version && previous[name].digest !== d.digest)
    .map(([name]) => name);
  wanted.set(digestsFile(root), `${JSON.stringify(digests, null, 2)}\n`);
  for (const [path, text] of renderPolicyFiles()) wanted.set(join(root, "policies", path), text);
  for (const [path, text] of renderAlertTestFiles()) wanted.set(join(root, alertTestsDir, path), text);
  const changelog = readChangelog(root);
  const needsChangelog = Object.values(charts)
    .filter((c) => !entryOf(changelog, c.name, c.version))
    .map((c) => `${c.name} ${c.version}: ${howToAddEntry(c.name, c.version)}`);
  const badVersions = versionProblems(previous, digests);
  const refused = needsBump.length > 0 || needsChangelog.length > 0 || badVersions.length > 0;

  const changed: string[] = [];
  for (const [path, text] of wanted) {
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    changed.push(path);
    if (!check && !refused) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  const managed = [
    ...Object.keys(charts).map((c) => join(root, "generated", c)),
    join(root, "schemas"),
    join(root, "policies"),
    join(root, alertTestsDir),
  ];
  for (const stale of managed.flatMap(listFiles).filter((f) => !wanted.has(f))) {
    changed.push(stale);
    if (!check && !refused) rmSync(stale);
  }
  return { changed, needsBump, needsChangelog, badVersions, expected: wanted };
};
