/**
 * README.md's CLI commands that need no cluster, run as written, in order, in bash from a scratch directory (what
 * they write lands there): the "CLI" section's examples and "Releasing the charts"' `package`. `npx llmcharts`, in
 * a clone, runs the clone's bin/llmcharts.js; from the scratch directory a shim named npx first on PATH does the same
 * (the one stand-in, named here). The blocks the README marks not run are listed and skipped.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { sectionBlocks } from "../../src/lib/readme-claims.js";
import { runShellBlock } from "../../src/lib/readme-runner.js";
import { registrySubstitution } from "../../src/install/scenarios/oci.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-readme-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory holding `npx`, which runs this checkout's CLI for `npx llmcharts …` and refuses anything else. */
const npxShim = (): string => {
  const bin = join(scratch, "bin");
  mkdirSync(bin, { recursive: true });
  const npx = join(bin, "npx");
  writeFileSync(
    npx,
    `#!/bin/sh\n[ "$1" = llmcharts ] || { echo "npx shim: only llmcharts, not $1" >&2; exit 2; }\nshift\nexec node ${JSON.stringify(join(root, "bin", "llmcharts.js"))} "$@"\n`,
  );
  chmodSync(npx, 0o755);
  return bin;
};
const env = { ...process.env, NO_COLOR: "1" };
const path = [npxShim()];

/** A fresh working directory for one section's commands. */
const workDir = (name: string): string => {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe("README.md's CLI commands, as written", { timeout: 240_000 }, () => {
  it('"CLI": the synopsis is marked, and the examples write a values file, print its IAM policy and find generated/ current', async () => {
    const [synopsis, ...examples] = sectionBlocks(root, "README.md", "CLI");
    expect(synopsis?.notRun).toMatch(/synopsis/);
    expect(examples.length).toBeGreaterThan(0);
    const cwd = workDir("cli");
    let out = "";
    for (const b of examples) out += await runShellBlock(b, { cwd, env, path });
    expect(out).toContain(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
    expect(parse(readFileSync(join(cwd, "acme.yaml"), "utf8")).tenant).toMatchObject({
      name: "acme",
      tier: "standard",
    });
    expect(out).toMatch(/llmcharts-tenant-acme/);
    expect(out).toMatch(/generated files are current/);
  });

  it('"Releasing the charts": package writes one archive per chart into dist/; publish is marked (ghcr.io, the release key)', async () => {
    const blocks = sectionBlocks(root, "README.md", "Releasing the charts");
    expect(blocks.filter((b) => b.notRun).map((b) => b.script)).toEqual([
      expect.stringMatching(/^npx llmcharts publish /),
    ]);
    const cwd = workDir("release");
    for (const b of blocks.filter((b) => !b.notRun)) await runShellBlock(b, { cwd, env, path });
    const dist = join(cwd, "dist");
    expect(existsSync(dist)).toBe(true);
    expect(readdirSync(dist).sort()).toEqual(
      Object.values(charts)
        .map((c) => `${c.name}-${c.version}.tgz`)
        .sort(),
    );
  });

  it("a README command edited to something wrong fails, naming the README's file:line", async () => {
    const [, examples] = sectionBlocks(root, "README.md", "CLI");
    if (!examples) throw new Error("README.md: the CLI examples block is missing");
    expect(examples.script).toContain("--tier standard");
    const wrong = { ...examples, script: examples.script.replace("--tier standard", "--tier gold") };
    await expect(runShellBlock(wrong, { cwd: workDir("wrong"), env, path })).rejects.toThrow(
      new RegExp(`^README\\.md:${examples.line}: \`npx llmcharts --version\` failed \\(exit \\d+\\):[\\s\\S]*gold`),
    );
  });

  it("a chart README installing from another registry fails before anything runs, naming its file:line", async () => {
    const [install] = sectionBlocks(root, "generated/tenant/README.md", "Install");
    if (!install) throw new Error("generated/tenant/README.md: the Install block is missing");
    const moved = { ...install, script: install.script.replace("oci://ghcr.io/llmcharts/charts", "oci://quay.io/x") };
    const sub = registrySubstitution("oci://127.0.0.1:5000/charts", "Install");
    // Not run: a substitution the block lacks stops it first, so a registry it names is never reached.
    await expect(runShellBlock(moved, { cwd: workDir("moved"), env, path, substitutions: [sub] })).rejects.toThrow(
      new RegExp(`^generated/tenant/README\\.md:${install.line}: the runner replaces the public registry`),
    );
  });
});
