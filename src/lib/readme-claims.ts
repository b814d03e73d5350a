/**
 * Which runner runs which README section's shell blocks: one row per README file and section. Every ```sh block of
 * README.md and of each chart's README is either marked not run (visible in the README, `readme-commands.ts`) or in
 * a section claimed here; test/readme/commands.test.ts holds that, and holds each row honest: the runner's source
 * reads that section by name with `readmeShellBlocks` (directly or through `sectionBlocks`).
 */
import { join } from "node:path";
import { readmeShellBlocks, type ShellBlock } from "./readme-commands.js";

export interface ReadmeClaim {
  /** The README, relative to the repository. */
  file: string;
  /** The heading the blocks sit under (as `ShellBlock.section` names it). */
  section: string;
  /** What runs them, as its suite names it. */
  runner: string;
  /** The runner's source, relative to the repository: it names `section` and reads it with `readmeShellBlocks`. */
  source: string;
}

/** A chart's generated README, relative to the repository. */
export const chartReadmePath = (chart: string): string => `generated/${chart}/README.md`;

const readmeCharts = ["nodepools", "platform", "tenant"] as const;

export const readmeClaims: readonly ReadmeClaim[] = [
  {
    file: "README.md",
    section: "CLI",
    runner: "test/readme/cli-commands.test.ts",
    source: "test/readme/cli-commands.test.ts",
  },
  {
    file: "README.md",
    section: "Releasing the charts",
    runner: "test/readme/cli-commands.test.ts",
    source: "test/readme/cli-commands.test.ts",
  },
  {
    file: "README.md",
    section: "Lab: one node, no cloud services",
    runner: "runtime scenario lab-from-readme",
    source: "src/runtime/scenarios/lab-from-readme.ts",
  },
  {
    file: chartReadmePath("tenant"),
    section: "The API server's addresses",
    runner: "runtime scenario lab-from-readme",
    source: "src/runtime/scenarios/lab-from-readme.ts",
  },
  ...readmeCharts.flatMap((chart) => [
    {
      file: chartReadmePath(chart),
      section: "The release key",
      runner: "test/release/keys.test.ts",
      source: "test/release/keys.test.ts",
    },
    ...["Install", "Upgrading", "Uninstall"].map((section) => ({
      file: chartReadmePath(chart),
      section,
      runner: "install scenario oci",
      source: "src/install/scenarios/oci.ts",
    })),
  ]),
];

/** The shell blocks of `section` in the README `file` (relative to `root`), in order, marked ones included. */
export const sectionBlocks = (root: string, file: string, section: string): ShellBlock[] => {
  const blocks = readmeShellBlocks(join(root, file), file).filter((b) => b.section === section);
  if (blocks.length === 0) throw new Error(`${file}: no shell block under a heading "${section}"`);
  return blocks;
};

/** What the inventory says of one block: marked, claimed by one runner, or neither (an error saying the way out). */
export const inventoryOf = (
  b: ShellBlock,
  claims: readonly ReadmeClaim[],
): { marked: string } | { claim: ReadmeClaim } | { error: string } => {
  const mine = claims.filter((c) => c.file === b.file && c.section === b.section);
  if (b.notRun) return { marked: b.notRun };
  if (mine.length === 1) return { claim: mine[0] as ReadmeClaim };
  if (mine.length > 1)
    return {
      error: `${b.file}:${b.line}: section "${b.section}" is claimed by ${mine.map((c) => c.runner).join(" and ")}: keep one`,
    };
  return {
    error:
      `${b.file}:${b.line}: \`${b.script.trim().split("\n")[0]}\` (section "${b.section}") is run by no test: ` +
      `claim its section for the runner that runs it in src/lib/readme-claims.ts, or mark it in the README with ` +
      "`*Not run by the tests: <why>.*` on the line before the block",
  };
};

/** Why a claim is not honest, or undefined: its runner's source must read that section with readmeShellBlocks. */
export const dishonesty = (c: ReadmeClaim, source: string | undefined): string | undefined => {
  const who = `${c.file} "${c.section}" claimed by ${c.runner}`;
  if (source === undefined) return `${who}: its source ${c.source} does not exist`;
  if (!/\b(readmeShellBlocks|sectionBlocks)\(/.test(source))
    return `${who}: ${c.source} reads no README with readmeShellBlocks or sectionBlocks`;
  if (!source.includes(JSON.stringify(c.section))) return `${who}: ${c.source} never names the section "${c.section}"`;
  return undefined;
};
