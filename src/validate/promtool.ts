import { run } from "../lib/run.js";

/**
 * `promtool check rules` of one file: its errors, each without the file name promtool puts first (the caller names
 * the object instead); none when it parses. promtool prints every error of a file, not only the first.
 */
export const checkRulesFile = async (promtool: string, file: string): Promise<string[]> => {
  const out = await run(promtool, ["check", "rules", file]);
  if (out.exitCode === 0) return [];
  const errors = out.stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && line !== "FAILED:")
    .map((line) => (line.startsWith(`${file}: `) ? line.slice(file.length + 2) : line));
  return errors.length > 0 ? errors : [`promtool exited with ${out.exitCode}: ${out.stdout.trim()}`];
};

/** `promtool test rules` of one suite: what failed, on one line; undefined when every test passed. */
export const testRulesFile = async (promtool: string, file: string): Promise<string | undefined> => {
  const out = await run(promtool, ["test", "rules", file]);
  if (out.exitCode === 0) return undefined;
  return (out.stderr.trim() || out.stdout.trim()).replace(/\s+/g, " ");
};

/** promtool's reference to one rule: `group "llmcharts.gpu", rule 2, "LLMPremiumColdStartSlow": <error>`. */
export const ruleReference = (error: string): { group: string; index: number; message: string } | undefined => {
  const m = /^(?:\d+:\d+: )?group "([^"]*)", rule (\d+), "[^"]*": (.*)$/.exec(error);
  return m ? { group: m[1] as string, index: Number(m[2]) - 1, message: m[3] as string } : undefined;
};
