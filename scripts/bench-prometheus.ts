// Prometheus under a fleet's series, without running the fleet: the platform chart's PrometheusRule (rendered by
// Helm, synthetic checks on) evaluated by the Prometheus the runtime suite runs (3.13.1, as a host process) over
// generated series of N tenants (pods, their requests, readiness and restarts, quotas, pull Jobs, probes: what the
// alerts read), served by this script as a scrape target.
//   npx tsx scripts/bench-prometheus.ts [tenants=100] [seconds=60]
// Ends with `prometheus, <N> tenants: <series> series, rule evaluation <ms> ms (median), <MiB> MiB resident (peak)`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import type { PrometheusRule } from "../charts-src/lib/k8s.js";
import { startProcess, stopProcesses } from "../src/cluster/processes.js";
import { run } from "../src/lib/run.js";
import { eventually, sleep } from "../src/lib/wait.js";
import { PrometheusApi } from "../src/runtime/prometheus-api.js";
import { requireBin } from "../src/toolchain/tools.js";
import { median } from "./bench-lib.js";

const tenants = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 60);
const podsPerTenant = 6;
const work = mkdtempSync(join(tmpdir(), "llmcharts-bench-prometheus-"));

/** The platform's rules as Helm renders them with the synthetic checks on: one rules file. */
const renderRules = async (): Promise<string> => {
  const out = await run(requireBin("helm"), [
    "template",
    "platform",
    join(import.meta.dirname, "..", "generated", "platform"),
    "--set",
    "monitoring.syntheticChecks.enabled=true",
  ]);
  if (out.exitCode !== 0) throw new Error(`helm template: ${out.stderr}`);
  const rules = parseAllDocuments(out.stdout)
    .map((d) => d.toJS() as PrometheusRule)
    .filter((o) => o?.kind === "PrometheusRule");
  return stringify({ groups: rules.flatMap((r) => r.spec?.groups ?? []) });
};

/** One scrape of the fleet: every series the alerts read, for every tenant's pods. */
const fleetMetrics = (): string => {
  const lines: string[] = [];
  for (let t = 0; t < tenants; t++) {
    const ns = `tenant-t${t}`;
    for (let p = 0; p < podsPerTenant; p++) {
      const pod = `pod-${t}-${p}`;
      const l = `namespace="${ns}",pod="${pod}"`;
      lines.push(`kube_pod_status_phase{${l},phase="Running"} 1`, `kube_pod_status_phase{${l},phase="Pending"} 0`);
      lines.push(`kube_pod_status_ready{${l},condition="true"} 1`, `kube_pod_created{${l}} 1.7e9`);
      lines.push(`kube_pod_container_status_restarts_total{${l},container="main"} 0`);
      lines.push(`kube_pod_container_resource_requests{${l},container="main",resource="cpu"} 0.5`);
      if (p === 0)
        lines.push(`kube_pod_container_resource_requests{${l},container="main",resource="nvidia_com_gpu"} 1`);
    }
    for (const type of ["used", "hard"])
      lines.push(
        `kube_resourcequota{namespace="${ns}",resourcequota="tenant",resource="requests.cpu",type="${type}"} 4`,
      );
    lines.push(`probe_success{llmcharts_check="openwebui-health",tenant="t${t}",namespace="${ns}"} 1`);
  }
  lines.push(`kube_job_failed{namespace="llmcharts-platform",job_name="model-pull-a",condition="true"} 0`);
  return `${lines.join("\n")}\n`;
};

const body = fleetMetrics();
const server = createServer((_, res) => res.writeHead(200, { "content-type": "text/plain" }).end(body));
await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
writeFileSync(join(work, "rules.yaml"), await renderRules());
writeFileSync(
  join(work, "prometheus.yaml"),
  stringify({
    global: { scrape_interval: "5s", evaluation_interval: "5s" },
    rule_files: [join(work, "rules.yaml")],
    scrape_configs: [{ job_name: "fleet", honor_labels: true, static_configs: [{ targets: [target] }] }],
  }),
);
const port = 19090 + (process.pid % 500);
const prometheus = await startProcess(
  "prometheus",
  requireBin("prometheus"),
  [
    `--config.file=${join(work, "prometheus.yaml")}`,
    `--storage.tsdb.path=${join(work, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ],
  join(work, "prometheus.log"),
);
try {
  const api = new PrometheusApi(`http://127.0.0.1:${port}`);
  await eventually(() => api.rules(), 30_000, 500);
  const evaluations: number[] = [];
  let peakMiB = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const groups = await api.ruleGroups();
    evaluations.push(groups.reduce((sum, g) => sum + g.evaluationTime * 1000, 0));
    const rss = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${prometheus.pid}/status`, "utf8"));
    peakMiB = Math.max(peakMiB, Number(rss?.[1] ?? 0) / 1024);
    await sleep(5000);
  }
  const count = await api.headSeries();
  console.log(
    `prometheus, ${tenants} tenants: ${count} series, rule evaluation ${median(evaluations).toFixed(1)} ms (median of ${evaluations.length}), ${peakMiB.toFixed(0)} MiB resident (peak)`,
  );
} finally {
  await stopProcesses([[prometheus]]);
  server.close();
  rmSync(work, { recursive: true, force: true });
}
