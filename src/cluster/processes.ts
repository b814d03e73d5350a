/**
 * Long-running component processes: started detached in a process group of their own (so they outlive the CLI and a
 * whole group can be signalled), output appended to a log file, stopped with SIGTERM then SIGKILL.
 */
import { spawn } from "node:child_process";
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { sleep } from "../lib/wait.js";

/** What state.json records of a process: enough to find it again, and to check a pid was not reused. */
export interface ProcessRecord {
  name: string;
  pid: number;
  exe: string;
  log: string;
}

/** A process this Node process started; `exit` is set once it has exited. */
export interface Started extends ProcessRecord {
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user and group (a server that refuses to run as root, e.g. PostgreSQL). */
  uid?: number;
  gid?: number;
}

/**
 * Children of this process that have not been reaped yet. Node reaps a child before it emits "exit"; until then a
 * dead child is a zombie whose pid still answers `kill(pid, 0)`, so for these the "exit" event is what counts.
 */
const ownChildren = new Set<number>();

/** Starts `exe` detached (its own session and process group), with stdout and stderr appended to `log`. */
export const startProcess = async (
  name: string,
  exe: string,
  args: string[],
  log: string,
  opts: StartOptions = {},
): Promise<Started> => {
  const fd = openSync(log, "a");
  try {
    const child = spawn(exe, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => (child.pid === undefined ? reject(new Error(`${name}: no pid`)) : resolve(child.pid)));
      child.once("error", (err) => reject(new Error(`could not start ${name} (${exe}): ${err.message}`)));
    });
    const started: Started = { name, pid, exe, log };
    ownChildren.add(pid);
    child.on("exit", (code, signal) => {
      started.exit = { code, signal };
      ownChildren.delete(pid);
    });
    // Neither the child nor its handle keeps this process (the CLI) alive.
    child.unref();
    return started;
  } finally {
    closeSync(fd);
  }
};

/**
 * The first of these started processes that has exited, once Node has reaped it and knows how it ended ("exit"). A
 * child that has just died is a zombie first, already dead to `pidAlive`; its code is known only once it is reaped,
 * so it is not reported before then (a report in between said "code ?").
 */
export const firstExited = (started: readonly Started[]): Exited | undefined =>
  started.find((p): p is Exited => p.exit !== undefined);

type Exited = Started & Required<Pick<Started, "exit">>;

/** Whether a pid names a live process (a zombie, exited but not yet reaped, counts as dead). */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; comm may contain spaces or parentheses, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
};

/** Whether a recorded process is still alive and still runs its executable (the pid was not reused). */
export const recordAlive = (p: ProcessRecord): boolean => {
  // Our own child: gone only once reaped, so that afterwards its pid no longer answers at all.
  if (ownChildren.has(p.pid)) return true;
  if (!pidAlive(p.pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0")[0];
    return argv0 === p.exe;
  } catch {
    // No /proc (not Linux): trust the pid.
    return true;
  }
};

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
};

const waitDead = async (procs: ProcessRecord[], ms: number): Promise<ProcessRecord[]> => {
  const deadline = Date.now() + ms;
  let alive = procs.filter(recordAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(25);
    alive = alive.filter(recordAlive);
  }
  return alive;
};

export interface StopReport {
  /** Processes that exited on SIGTERM. */
  terminated: string[];
  /** Processes that needed SIGKILL after the grace period. */
  killed: string[];
  /** Processes that could not be stopped at all. */
  survivors: string[];
}

/** Sends SIGTERM to every live process group, then SIGKILL to the ones still alive after `graceMs`. */
const stopTogether = async (procs: ProcessRecord[], graceMs: number): Promise<StopReport> => {
  const alive = procs.filter(recordAlive);
  for (const p of alive) signalGroup(p.pid, "SIGTERM");
  const stubborn = await waitDead(alive, graceMs);
  for (const p of stubborn) signalGroup(p.pid, "SIGKILL");
  const survivors = await waitDead(stubborn, 5000);
  return {
    terminated: alive.filter((p) => !stubborn.includes(p)).map((p) => p.name),
    killed: stubborn.filter((p) => !survivors.includes(p)).map((p) => p.name),
    survivors: survivors.map((p) => `${p.name} (pid ${p.pid})`),
  };
};

/** The last `lines` lines of a log file (read from its last 64 KiB; "" if it cannot be read). */
export const tailFile = (path: string, lines = 20): string => {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return buf.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/**
 * Stops processes in waves, each wave together (SIGTERM, then SIGKILL after `graceMs`) and only once the previous
 * one is gone: clients before the servers they hold connections to (etcd, stopped while kube-apiserver still
 * watches it, waits for those streams, and the API server in turn for etcd).
 */
export const stopProcesses = async (waves: ProcessRecord[][], graceMs = 5000): Promise<StopReport> => {
  const report: StopReport = { terminated: [], killed: [], survivors: [] };
  for (const wave of waves) {
    const r = await stopTogether(wave, graceMs);
    report.terminated.push(...r.terminated);
    report.killed.push(...r.killed);
    report.survivors.push(...r.survivors);
  }
  return report;
};
