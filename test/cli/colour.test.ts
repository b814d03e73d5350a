/** Colour for a person at a terminal only: never in a pipe, never with NO_COLOR. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { colourVerdicts } from "../../src/lib/colour.js";
import { run } from "../../src/lib/run.js";

const esc = "\u001b[";
const tty = { isTTY: true };
const report = [
  "FAIL tenant acme.yaml [values: ajv] at '/tenant': the words PASS and FAIL inside a message stay plain",
  "PASS [2] install (3.1s)",
  "  ok   pods land on their tier",
  "static  MISSING  helm  v4.2.4",
  "static  OK       kubeconform  v0.7.0",
  "3 passed, 2 failed",
].join("\n");

describe("colourVerdicts", () => {
  it("colours the verdicts on a terminal: failures red, passes green, and only where a verdict stands", () => {
    const coloured = colourVerdicts(report, tty, {}).split("\n");
    expect(coloured[0]).toBe(
      `${esc}31mFAIL${esc}39m tenant acme.yaml [values: ajv] at '/tenant': the words PASS and FAIL inside a message stay plain`,
    );
    expect(coloured[1]).toBe(`${esc}32mPASS${esc}39m [2] install (3.1s)`);
    expect(coloured[2]).toBe(`  ${esc}32mok${esc}39m   pods land on their tier`);
    expect(coloured[3]).toBe(`static  ${esc}31mMISSING${esc}39m  helm  v4.2.4`);
    expect(coloured[4]).toBe(`static  ${esc}32mOK${esc}39m       kubeconform  v0.7.0`);
    expect(coloured[5]).toBe(`3 passed, ${esc}31m2 failed${esc}39m`);
    expect(colourVerdicts("3 passed, 0 failed", tty, {})).toBe("3 passed, 0 failed");
  });

  it("leaves the text as it is in a pipe, with NO_COLOR set, and on a dumb terminal", () => {
    expect(colourVerdicts(report, { isTTY: false }, {})).toBe(report);
    expect(colourVerdicts(report, {}, {})).toBe(report);
    expect(colourVerdicts(report, tty, { NO_COLOR: "1" })).toBe(report);
    expect(colourVerdicts(report, tty, { TERM: "dumb" })).toBe(report);
  });
});

describe("the CLI's colour", { timeout: 60_000 }, () => {
  // An empty cache: doctor then reports every tool MISSING, quickly, with nothing to build.
  const cache = mkdtempSync(join(tmpdir(), "llmcharts-colour-"));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  const doctor = ["bin/llmcharts.js", "doctor", "--group", "static"];
  const { NO_COLOR: _inherited, ...withoutNoColor } = process.env;
  /** Runs doctor in a pseudo-terminal (Python's pty), as a person at a terminal would. */
  const onTerminal = (env: NodeJS.ProcessEnv) =>
    run(
      "python3",
      ["-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)", "env", process.execPath, ...doctor],
      { env: { ...withoutNoColor, ...env, LLMCHARTS_CACHE: cache } },
    );

  it("is on at a terminal", async () => {
    const out = await onTerminal({});
    expect(out.stdout).toContain(`${esc}31mMISSING${esc}39m`);
  });

  it("is off at a terminal with NO_COLOR, and in a pipe", async () => {
    expect((await onTerminal({ NO_COLOR: "1" })).stdout).not.toContain(esc);
    const piped = await run(process.execPath, doctor, {
      env: { ...process.env, NO_COLOR: "", LLMCHARTS_CACHE: cache },
    });
    expect(piped.stdout).toMatch(/^static {2}MISSING {2}helm /m);
    expect(piped.stdout).not.toContain(esc);
  });
});
