/** What the benchmarks share: medians, timing, and the peak memory of a whole process tree. */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Seconds `fn` takes. */
export const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

const statusField = (pid: string, field: string): number | undefined => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
};

/** Resident memory (MiB) of a process and all its descendants right now, from /proc. */
const treeRssMiB = (root: number): number => {
  const parent = new Map<string, string>();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    const ppid = statusField(pid, "PPid");
    if (ppid !== undefined) parent.set(pid, String(ppid));
  }
  const inTree = (pid: string): boolean => {
    for (let p: string | undefined = pid; p && p !== "0"; p = parent.get(p)) if (p === String(root)) return true;
    return false;
  };
  let kb = 0;
  for (const pid of parent.keys()) if (inTree(pid)) kb += statusField(pid, "VmRSS") ?? 0;
  return kb / 1024;
};

/**
 * Runs a command to its end and returns its wall time and the peak of its whole tree's resident memory (every
 * tool it starts counts, summed), sampled every 100 ms.
 */
export const measure = (cmd: string, args: string[]): Promise<{ seconds: number; peakMiB: number; exitCode: number }> =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    let peakMiB = 0;
    const sample = setInterval(() => {
      if (child.pid) peakMiB = Math.max(peakMiB, treeRssMiB(child.pid));
    }, 100);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sample);
      resolve({ seconds: (performance.now() - start) / 1000, peakMiB, exitCode: code ?? 1 });
    });
  });

/**
 * The peak resident memory (MiB) of the processes this one starts (their whole trees, summed; not this process
 * itself), sampled every 100 ms from now until `stop`: what in-process work that runs tools one after another holds.
 */
export const sampleChildren = (): { peakMiB: () => number; stop: () => void } => {
  let peak = 0;
  const own = () => (statusField(String(process.pid), "VmRSS") ?? 0) / 1024;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMiB(process.pid) - own());
  }, 100);
  return { peakMiB: () => peak, stop: () => clearInterval(timer) };
};
