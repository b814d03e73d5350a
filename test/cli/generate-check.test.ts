/** `generate --check` shows what is stale: per file, the lines it would gain and lose, and the start of the diff. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { staleFile } from "../../src/generate/stale-diff.js";

const root = mkdtempSync(join(tmpdir(), "llmcharts-stale-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};

describe("what generate --check says of a stale file", () => {
  it("is a unified diff with repository paths, and the lines added and removed", () => {
    const path = file("values.yaml", "tenant:\n  name: acme\n  tier: standard\nquota:\n  cpu: 4\n");
    const stale = staleFile(root, path, "tenant:\n  name: acme\n  tier: premium\nquota:\n  cpu: 4\n  gpus: 1\n");
    expect(stale).toEqual({
      path: "values.yaml",
      added: 2,
      removed: 1,
      diff: [
        "--- a/values.yaml",
        "+++ b/values.yaml",
        "@@ -1,5 +1,6 @@",
        " tenant:",
        "   name: acme",
        "-  tier: standard",
        "+  tier: premium",
        " quota:",
        "   cpu: 4",
        "+  gpus: 1",
      ],
      more: 0,
    });
  });

  it("shows a file to add or remove whole, and cuts a long diff short, counting what it left out", () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    const added = staleFile(root, join(root, "new.yaml"), `${text}\n`, 10);
    expect([added.added, added.removed, added.diff.slice(0, 3), added.diff.length, added.more]).toEqual([
      50,
      0,
      ["--- /dev/null", "+++ b/new.yaml", "@@ -0,0 +1,50 @@"],
      10,
      43,
    ]);
    const removed = staleFile(root, file("old.yaml", "a\nb\n"), undefined);
    expect(removed).toMatchObject({
      added: 0,
      removed: 2,
      diff: ["--- a/old.yaml", "+++ /dev/null", "@@ -1,2 +0,0 @@", "-a", "-b"],
    });
  });
});
