/**
 * Runs a README's shell block as written: in bash with errexit and pipefail, from a directory of the caller's. What
 * the test's world lacks is said by name: each substitution replaces one string of the README (the public registry
 * by a local one, say) and must find it, so an edited README fails here instead of silently running something else.
 */
import type { ShellBlock } from "./readme-commands.js";
import { run } from "./run.js";

/** One named replacement in a block's text, e.g. the public registry by the test's local one. */
export interface Substitution {
  name: string;
  from: string;
  to: string;
}

export interface BlockRun {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Directories searched first for commands (set inside the script: the process runner puts node's own first). */
  path?: string[];
  /** Applied where the block holds them; `required` ones must be found in it. */
  substitutions?: (Substitution & { required?: boolean })[];
}

/** A block's first command, as progress and errors name it. */
export const firstLine = (b: ShellBlock): string => b.script.trim().split("\n")[0] ?? "";

/** The block's script with the substitutions made; a required one the block lacks is an error naming file:line. */
export const substituted = (b: ShellBlock, subs: BlockRun["substitutions"] = []): string =>
  subs.reduce((script, s) => {
    if (!script.includes(s.from)) {
      if (s.required)
        throw new Error(
          `${b.file}:${b.line}: the runner replaces ${s.name} (${JSON.stringify(s.from)}), which the block no longer holds: update the runner's substitution or the README`,
        );
      return script;
    }
    return script.replaceAll(s.from, s.to);
  }, b.script);

/**
 * Runs the block; a failure throws naming the README's file:line, the block's first command and the last lines of
 * its output. Returns standard output. A background job the block starts is stopped when it ends.
 */
export const runShellBlock = async (b: ShellBlock, opts: BlockRun): Promise<string> => {
  if (b.notRun) throw new Error(`${b.file}:${b.line}: the README marks this block not run by the tests (${b.notRun})`);
  const path = opts.path?.length ? `export PATH=${opts.path.map((d) => JSON.stringify(d)).join(":")}:"$PATH"\n` : "";
  const script = `set -eo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${path}${substituted(b, opts.substitutions)}\n`;
  const res = await run("bash", ["-c", script], { cwd: opts.cwd, env: opts.env ?? process.env });
  if (res.exitCode !== 0) {
    const tail = `${res.stdout}\n${res.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`${b.file}:${b.line}: \`${firstLine(b)}\` failed (exit ${res.exitCode}):\n${tail}`);
  }
  return res.stdout;
};
