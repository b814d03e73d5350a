import { x } from "tinyexec";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Text written to the process's standard input. */
  input?: string;
  /** Run as this user and group. */
  uid?: number;
  gid?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its output; never throws on a non-zero exit. */
export const run = async (cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> => {
  const proc = x(cmd, args, {
    throwOnError: false,
    nodeOptions: {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      uid: opts.uid,
      gid: opts.gid,
    },
  });
  if (opts.input !== undefined) {
    proc.process?.stdin?.end(opts.input);
  } else {
    proc.process?.stdin?.end();
  }
  const out = await proc;
  return { exitCode: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
};

/** A failed step: names the step and keeps the last lines of its output, which is what a reader needs first. */
export class StepError extends Error {
  constructor(step: string, result: RunResult, lines = 25) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
    super(`${step} failed (exit ${result.exitCode}):\n${tail}`);
  }
}

/** Runs a command and throws a StepError naming the step if it fails. */
export const runStep = async (step: string, cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> => {
  const result = await run(cmd, args, opts).catch((err: Error) => ({ exitCode: 127, stdout: "", stderr: err.message }));
  if (result.exitCode !== 0) throw new StepError(step, result);
  return result;
};

/** Formats milliseconds the way progress lines show them. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
