import { availableParallelism } from "node:os";
import { run } from "../lib/run.js";

export interface Command {
  /** Arguments of one `kyverno` command, `apply` and what follows. */
  args: string[];
  /** Its relative cost (objects times policies), to share the commands out evenly. */
  cost: number;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The commands shared out to one process per core, costliest first to the least loaded (so the processes finish
 * together): each process gets the indexes of its commands.
 */
const shareOut = (commands: Command[], processes: number): number[][] => {
  const shares = Array.from({ length: Math.min(processes, commands.length) }, () => ({
    cost: 0,
    indexes: [] as number[],
  }));
  const byCost = commands.map((c, i) => ({ cost: c.cost, i })).sort((a, b) => b.cost - a.cost || a.i - b.i);
  for (const { cost, i } of byCost) {
    const least = shares.reduce((a, b) => (b.cost < a.cost ? b : a));
    least.cost += cost;
    least.indexes.push(i);
  }
  return shares.map((s) => s.indexes);
};

/**
 * Every command through `kyverno-apply each`: a few processes, each running its share one after the other, instead
 * of a process per command (each would load Kyverno and its CRDs again). Outcomes in command order. A process that
 * stops early (a crash) leaves its remaining commands failed, with its last words.
 */
export const runEach = async (
  kyvernoApply: string,
  commands: Command[],
  processes = availableParallelism(),
): Promise<Outcome[]> => {
  const outcomes: Outcome[] = new Array(commands.length);
  await Promise.all(
    shareOut(commands, processes).map(async (indexes) => {
      const input = indexes.map((i) => JSON.stringify(commands[i]?.args)).join("\n");
      const out = await run(kyvernoApply, ["each"], { input: `${input}\n` });
      const lines = out.stdout.split("\n").filter((l) => l.trim() !== "");
      indexes.forEach((index, k) => {
        const line = lines[k];
        outcomes[index] = line
          ? (JSON.parse(line) as Outcome)
          : {
              stdout: "",
              stderr: `kyverno-apply each stopped (exit ${out.exitCode}): ${out.stderr.trim()}`,
              exitCode: 1,
            };
      });
    }),
  );
  return outcomes;
};
