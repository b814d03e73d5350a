// The platform's log pipeline per node at stated log rates: the pinned collector (`otelcol`, the build the DaemonSet
// runs) with the configuration, arguments and environment the platform chart renders, as a host process reading a
// directory laid out as the kubelet's /var/log/pods (four tenant OpenWebUI pods and a kube-system CoreDNS, CRI-format
// lines) and pushing to an OTLP receiver on the host (the same collector, writing what it gets to a file). For each
// rate a fresh collector and receiver; the rate is of tenant lines (what ships), spread over the four tenant pods, and
// kube-system writes one line more for every ten, which must not ship. CPU is the collector's utime+stime from the
// first line written until the last arrived (or the drain ended), as % of one core over the writing window; RSS is its
// VmRSS sampled every 250 ms while writing; after a drain of up to 20 s every written tenant
// line must have arrived once, with its tenant's label, and no kube-system line at all, or the script exits 1.
//   npx tsx scripts/bench-logs.ts [seconds=20] [rate…=100 1000 5000]
// Prints one line per rate: `log pipeline at <n> lines/s: <cpu>% of a core, <rss> MiB RSS (median), <peak> MiB
// (peak), <delivered>/<written> lines delivered`.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tenantAttribute } from "../charts-src/lib/log-pipeline.js";
import { tenantNamespacePrefix } from "../charts-src/lib/tenant-namespace.js";
import { waitUntil } from "../src/cluster/probe.js";
import { type Started, startProcess, stopProcesses, tailFile } from "../src/cluster/processes.js";
import { sleep } from "../src/lib/wait.js";
import { OtlpReceiver } from "../src/runtime/otlp-receiver.js";
import { requireBin } from "../src/toolchain/tools.js";
import { criLine, hostCollector, podLogFile } from "../test/platform/log-collector.js";
import { median } from "./bench-lib.js";

const [secondsArg, ...rateArgs] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 20);
const rates = rateArgs.length ? rateArgs.map(Number) : [100, 1000, 5000];
const drainMs = 20_000;
const tenants = ["acme", "globex", "initech", "umbrella"];
const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const progress = (line: string) => process.stderr.write(`bench-logs: ${line}\n`);
const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-logs-"));

/** What this script started and must stop, whatever happens: stopped by PID, then the directories removed. */
const running: { collector?: Started; receiver?: OtlpReceiver } = {};
const cleanUp = async () => {
  if (running.collector) await stopProcesses([[running.collector]]);
  await running.receiver?.remove();
  running.collector = undefined;
  running.receiver = undefined;
  rmSync(work, { recursive: true, force: true });
};
// Ctrl-C reaches this process twice (from the terminal and relayed by tsx): the second must not end it mid-cleanup.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    progress(`${signal}: stopping what it started`);
    void cleanUp().finally(() => process.exit(130));
  });

/** The process's CPU time so far (user + system), in seconds: /proc/<pid>/stat fields 14 and 15. */
const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
};

const rssMiB = (pid: number): number =>
  Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/** What the receiver got of this run's lines: distinct tenant lines, how many carried the wrong tenant, any other. */
const tally = (receiver: OtlpReceiver) => {
  const tenantBodies = new Set<string>();
  let mislabelled = 0;
  let foreign = 0;
  for (const line of receiver.lines()) {
    const namespace = line.resource["k8s.namespace.name"] ?? "";
    if (!namespace.startsWith(tenantNamespacePrefix)) {
      foreign++;
      continue;
    }
    tenantBodies.add(line.body);
    if (line.resource[tenantAttribute] !== namespace.slice(tenantNamespacePrefix.length)) mislabelled++;
  }
  return { delivered: tenantBodies.size, mislabelled, foreign };
};

/** A pod's UID as the kubelet names its directory: the container parser reads only hex digits and dashes there. */
const podUid = (i: number) => `1b4e28ba-2fa1-11d2-883f-0016d3cca4${String(i).padStart(2, "0")}`;

/** An OpenWebUI access-log line (about 140 bytes), unique by its sequence number. */
const openwebuiLine = (tenant: string, seq: number) =>
  `INFO:     10.42.0.${seq % 250}:${40000 + (seq % 20000)} - "POST /api/chat/completions HTTP/1.1" 200 tenant=${tenant} seq=${seq}`;

interface Result {
  rate: number;
  cpuPercent: number;
  medianMiB: number;
  peakMiB: number;
  written: number;
  delivered: number;
  mislabelled: number;
  foreign: number;
}

const measureRate = async (rate: number): Promise<Result> => {
  const dir = join(work, `rate-${rate}`);
  const pods = join(dir, "pods");
  mkdirSync(pods, { recursive: true });
  const receiver = new OtlpReceiver();
  running.receiver = receiver;
  await receiver.start(progress);

  const files = tenants.map((t, i) =>
    podLogFile(pods, `${tenantNamespacePrefix}${t}`, `openwebui-7d9f8-${t.slice(0, 5)}`, podUid(i), "openwebui"),
  );
  const system = podLogFile(pods, "kube-system", "coredns-6d4b7-abcde", podUid(9), "coredns");

  const { args, env } = hostCollector(dir, pods, receiver.endpoint);
  const log = join(dir, "collector.log");
  const collector = await startProcess("log-collector", requireBin("otelcol"), args, log, {
    env: { PATH: process.env.PATH, ...env },
  });
  running.collector = collector;
  await waitUntil(
    "the log collector",
    async () => {
      if (collector.exit) throw new Error(`the collector exited (${collector.exit.code}):\n${tailFile(log)}`);
      return readFileSync(log, "utf8").includes("Everything is ready") || "not ready yet";
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  // Its first scans (every 200 ms) find the files at their end; lines written before then would not ship.
  await sleep(1000);

  progress(`${rate} lines/s for ${seconds} s (collector pid ${collector.pid})`);
  const rss: number[] = [];
  const cpuStart = cpuSeconds(collector.pid);
  const start = performance.now();
  let written = 0;
  let systemWritten = 0;
  let nextSample = 0;
  for (;;) {
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= seconds) break;
    const due = Math.floor(rate * elapsed);
    const batches = files.map(() => [] as string[]);
    for (; written < due; written++) {
      const i = written % files.length;
      batches[i]?.push(criLine(openwebuiLine(tenants[i] ?? "", written)));
    }
    batches.forEach((lines, i) => {
      if (lines.length) appendFileSync(files[i] ?? "", lines.join(""));
    });
    const systemLines: string[] = [];
    for (; systemWritten < Math.floor(written / 10); systemWritten++)
      systemLines.push(criLine(`[INFO] 10.42.0.7:53 - ${systemWritten} "A IN ollama.tenant-acme.svc. udp 38" NOERROR`));
    if (systemLines.length) appendFileSync(system, systemLines.join(""));
    if (elapsed >= nextSample) {
      rss.push(rssMiB(collector.pid));
      nextSample += 0.25;
    }
    await sleep(20);
  }
  const window = (performance.now() - start) / 1000;

  progress(`${rate} lines/s: ${written} written, draining (up to ${drainMs / 1000} s)`);
  let counts = tally(receiver);
  const drainEnd = Date.now() + drainMs;
  while (counts.delivered < written && Date.now() < drainEnd) {
    await sleep(2000);
    counts = tally(receiver);
  }
  // The work of catching up counts too: the CPU spent on this window's lines, whenever it was spent.
  const cpuPercent = ((cpuSeconds(collector.pid) - cpuStart) / window) * 100;
  await stopProcesses([[collector]]);
  running.collector = undefined;
  await receiver.remove();
  running.receiver = undefined;
  rmSync(dir, { recursive: true, force: true });
  return { rate, cpuPercent, medianMiB: median(rss), peakMiB: Math.max(...rss), written, ...counts };
};

let failed = false;
try {
  const results: Result[] = [];
  for (const rate of rates) results.push(await measureRate(rate));
  for (const r of results) {
    console.log(
      `log pipeline at ${r.rate} lines/s: ${r.cpuPercent.toFixed(1)}% of a core, ${r.medianMiB.toFixed(0)} MiB RSS (median), ${r.peakMiB.toFixed(0)} MiB (peak), ${r.delivered}/${r.written} lines delivered`,
    );
    if (r.delivered < r.written) {
      progress(`${r.rate} lines/s: ${r.written - r.delivered} tenant lines never arrived`);
      failed = true;
    }
    if (r.mislabelled || r.foreign) {
      progress(`${r.rate} lines/s: ${r.mislabelled} lines with another tenant's label, ${r.foreign} not a tenant's`);
      failed = true;
    }
  }
} finally {
  await cleanUp();
}
if (failed) process.exit(1);
