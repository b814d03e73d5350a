/**
 * CHANGELOG.md, the one record of what each chart version changed: `## <chart>` sections, a `### <version>` per
 * version (newest first), bullets `- <kind>: <text>` in Artifact Hub's kinds, and an optional `**Upgrade:** …`
 * paragraph saying what an operator upgrading to that version must do. `generate` turns it into each chart's
 * `artifacthub.io/changes` and the README's upgrade notes, and refuses a chart version that has no entry.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const changeKinds = ["added", "changed", "deprecated", "removed", "fixed", "security"] as const;
export type ChangeKind = (typeof changeKinds)[number];

export interface Change {
  kind: ChangeKind;
  description: string;
}

export interface VersionEntry {
  version: string;
  changes: Change[];
  /** What an upgrading operator must do; undefined when nothing. */
  upgrade?: string;
}

/** Chart name → its versions, newest first, as written. */
export type Changelog = Record<string, VersionEntry[]>;

export const changelogFile = (root: string): string => join(root, "CHANGELOG.md");

/** How to add the entry a new chart version needs (printed wherever one is missing). */
export const howToAddEntry = (chart: string, version: string): string =>
  `add a "### ${version}" entry under "## ${chart}" in CHANGELOG.md (bullets "- changed: …"; kinds ${changeKinds.join(", ")})`;

/** Parses CHANGELOG.md; a malformed line is an error naming its line number and the expected shape. */
export const parseChangelog = (text: string): Changelog => {
  const log: Changelog = {};
  let chart: string | undefined;
  let entry: VersionEntry | undefined;
  let last: { text: string; set: (t: string) => void } | undefined;
  const fail = (n: number, what: string) => {
    throw new Error(`CHANGELOG.md:${n}: ${what}`);
  };
  for (const [i, line] of text.split("\n").entries()) {
    const n = i + 1;
    const chartHeading = /^## (\S+)\s*$/.exec(line);
    const versionHeading = /^### (\d+\.\d+\.\d+\S*)\s*$/.exec(line);
    const bullet = /^- (\w+): (.+)$/.exec(line);
    const upgrade = /^\*\*Upgrade:\*\* (.+)$/.exec(line);
    if (chartHeading) {
      chart = chartHeading[1] as string;
      log[chart] = [];
      entry = undefined;
      last = undefined;
    } else if (versionHeading) {
      if (!chart) fail(n, `version heading "${line}" comes before any "## <chart>" heading`);
      entry = { version: versionHeading[1] as string, changes: [] };
      log[chart as string]?.push(entry);
      last = undefined;
    } else if (bullet && entry) {
      const kind = bullet[1] as ChangeKind;
      if (!changeKinds.includes(kind))
        fail(n, `change kind "${bullet[1]}" is not one of ${changeKinds.join(", ")}; write "- changed: …"`);
      const change: Change = { kind, description: bullet[2] as string };
      entry.changes.push(change);
      last = { text: change.description, set: (t) => (change.description = t) };
    } else if (upgrade && entry) {
      const e = entry;
      e.upgrade = upgrade[1] as string;
      last = { text: e.upgrade, set: (t) => (e.upgrade = t) };
    } else if (/^ {2}\S/.test(line) && last) {
      // A wrapped line continues the bullet or paragraph above it.
      last.text = `${last.text} ${line.trim()}`;
      last.set(last.text);
    } else if (line.trim() === "") {
      last = undefined;
    } else if (entry) {
      fail(n, `"${line}" is neither a "- <kind>: <text>" bullet nor an "**Upgrade:** <text>" paragraph`);
    }
  }
  for (const [name, entries] of Object.entries(log))
    for (const e of entries)
      if (e.changes.length === 0) throw new Error(`CHANGELOG.md: ${name} ${e.version} lists no change`);
  return log;
};

export const readChangelog = (root: string): Changelog =>
  existsSync(changelogFile(root)) ? parseChangelog(readFileSync(changelogFile(root), "utf8")) : {};

/** The entry of one chart version, if written. */
export const entryOf = (log: Changelog, chart: string, version: string): VersionEntry | undefined =>
  log[chart]?.find((e) => e.version === version);
