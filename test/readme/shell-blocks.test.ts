/** A README's shell blocks are read as an operator reads them: in order, under their heading, list indentation removed. */
import { describe, expect, it } from "vitest";
import { shellBlocks } from "../../src/lib/readme-commands.js";

const readme = [
  "# Title",
  "## Lab",
  "1. **A step.**",
  "",
  "   ```sh",
  "   kubectl apply -f - <<'EOF'",
  "   kind: Namespace",
  "   EOF",
  "   ```",
  "2. **Another.**",
  "",
  "   *Not run by the tests: it needs the internet.*",
  "",
  "   ```sh",
  "   curl -O https://example.com/file",
  "   ```",
  "## Other",
  "```sh",
  "echo hi",
  "```",
  "```yaml",
  "# a YAML comment, not a heading",
  "not: shell",
  "```",
  "```sh",
  "echo after",
  "```",
].join("\n");

describe("shellBlocks", () => {
  const blocks = shellBlocks(readme, "README.md");

  it("finds every sh block in order, with its section (no # inside another block) and the line of its fence", () => {
    expect(blocks.map((b) => [b.section, b.line])).toEqual([
      ["Lab", 5],
      ["Lab", 14],
      ["Other", 18],
      ["Other", 25],
    ]);
  });

  it("removes a list item's indentation, so a heredoc's terminator stands at the start of its line", () => {
    expect(blocks[0]?.script).toBe("kubectl apply -f - <<'EOF'\nkind: Namespace\nEOF");
  });

  it("reads the visible marker on the line before a block as the reason it is not run", () => {
    expect(blocks.map((b) => b.notRun)).toEqual([undefined, "it needs the internet", undefined, undefined]);
  });

  it("refuses a block that is never closed, naming its line", () => {
    expect(() => shellBlocks("## A\n```sh\necho\n", "X.md")).toThrow("X.md:2: a ```sh block is never closed");
  });
});
