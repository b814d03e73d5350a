/**
 * logs-shipped: the platform's log pipeline (`logs`) carries the tenants' logs, labelled by tenant, to an OTLP
 * receiver on the host (the pinned collector, where Loki would be), and nothing lets one tenant read another's:
 * - the collector DaemonSet runs on the node from the platform chart's values, pushing to the host's receiver;
 * - a request to each tenant's OpenWebUI (alpha and gamma) makes a line that arrives with that tenant's label, and no
 *   line of one tenant's namespace carries the other's; no line of a namespace other than a tenant's arrives at all;
 * - a tenant's pod cannot connect to the collector (it admits nothing), and mounts nothing of the node;
 * - the receiver stopped, tenants still answer at once and the collector keeps running: nothing waits on it.
 * The pipeline is turned off again at the end. OpenWebUI's traces take another way (traces-shipped).
 */
import { randomBytes } from "node:crypto";
import type { Named, Pod } from "../../../charts-src/lib/k8s.js";
import { tenantNamespacePrefix, tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { logsComponent, logsNamespace, tenantAttribute } from "../../../charts-src/lib/log-pipeline.js";
import type { Recorder } from "../../harness/recorder.js";
import { componentSelector, execIn, podsOf, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { otelcolImage } from "../../images/catalog.js";
import { standardNode } from "../../node/lab-nodes.js";
import { nodePaths } from "../../node/config.js";
import { eventually } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { OtlpReceiver } from "../otlp-receiver.js";
import { applyLabPlatform, labCatalog } from "../platform.js";
import { runtimeStandIns } from "../standin-names.js";
import type { LabTenant } from "../tenants.js";
import { openwebuiUrl } from "./standard.js";

/**
 * The platform's values that turn the pipeline on in the lab: the host's receiver, reachable on its address alone;
 * the lab's own collector build; the standard node only, whose kubelet's pod log directory is mounted (the two lab
 * nodes share one host, each kubelet with a directory of its own).
 */
const logsValues = (ctx: RuntimeContext, receiver: OtlpReceiver) => ({
  logs: {
    enabled: true,
    endpoint: receiver.endpoint,
    egress: { cidr: `${receiver.host}/32`, port: receiver.port },
    podLogsDir: nodePaths(ctx.info?.stateDir ?? "", standardNode.suffix).podLogsDir,
    image: { repository: otelcolImage.config.ref.split(":")[0], tag: otelcolImage.version, pullPolicy: "Never" },
    nodeSelector: { "kubernetes.io/hostname": standardNode.name },
  },
});

/** The collector's pod on the standard node, Ready, with its own log saying its pipelines run. */
const collectorRunning = async (ctx: RuntimeContext): Promise<Named<Pod>> => {
  const selector = `app.kubernetes.io/component=${logsComponent}`;
  const [pod] = await waitPodsReady(ctx.k, logsNamespace, selector, { timeoutMs: 180_000 });
  if (!pod) throw new Error(`no collector pod in ${logsNamespace}`);
  await eventually(
    async () => {
      const log = await ctx.k.kubectl(["logs", "-n", logsNamespace, pod.metadata.name]);
      if (!log.includes("Everything is ready")) throw new Error(`the collector is not ready yet:\n${log.slice(-2000)}`);
    },
    60_000,
    1000,
  );
  return pod;
};

/** A request OpenWebUI logs (its server's access line names the path and query), marked so that it can be found. */
const markedRequest = async (ctx: RuntimeContext, t: LabTenant, mark: string): Promise<void> => {
  const res = await fetch(`${await openwebuiUrl(ctx, t.namespace)}/api/version?logs-shipped=${mark}`);
  if (!res.ok) throw new Error(`${t.name}'s OpenWebUI answered HTTP ${res.status}`);
};

/** Whether a TCP connect from a tenant's OpenWebUI container (Python) to ip:port succeeds within 3 s. */
const openwebuiConnects = async (ctx: RuntimeContext, t: LabTenant, ip: string, port: number): Promise<boolean> => {
  const [pod] = await podsOf(ctx.k, t.namespace, componentSelector(names.openwebui));
  if (!pod) throw new Error(`no OpenWebUI pod in ${t.namespace}`);
  const connect = `import socket; socket.create_connection((${JSON.stringify(ip)}, ${port}), 3)`;
  return (await execIn(ctx.k, t.namespace, pod.metadata.name, "openwebui", ["python3", "-c", connect])).code === 0;
};

/** Each tenant's marked line arrives with its own tenant's label; none of another's; none of another namespace. */
const linesLabelled = async (ctx: RuntimeContext, r: Recorder, receiver: OtlpReceiver, tenants: LabTenant[]) => {
  const run = randomBytes(4).toString("hex");
  const mark = (t: LabTenant) => `${run}-${t.name}`;
  const asked = Date.now();
  for (const t of tenants) await markedRequest(ctx, t, mark(t));
  await r.step(`a line of each tenant's OpenWebUI (${tenants.map((t) => t.name).join(", ")}) arrives`, () =>
    eventually(
      async () => {
        const lines = receiver.lines();
        const missing = tenants.filter((t) => !lines.some((l) => l.body.includes(mark(t))));
        if (missing.length > 0)
          throw new Error(`no line yet of ${missing.map((t) => t.name).join(", ")} (${lines.length} received)`);
      },
      120_000,
      1000,
    ),
  );
  r.figure("logLineArrivedSeconds", (Date.now() - asked) / 1000);
  await r.step("each tenant's line carries its own tenant's label, and no other's", async () => {
    const lines = receiver.lines();
    const wrong: string[] = [];
    for (const t of tenants) {
      const own = lines.filter((l) => l.body.includes(mark(t)));
      for (const l of own) {
        if (l.resource[tenantAttribute] !== t.name || l.resource["k8s.namespace.name"] !== t.namespace)
          wrong.push(`${t.name}'s line labelled ${JSON.stringify(l.resource)}`);
      }
    }
    // Every line, not only the marked ones: its tenant is its namespace's, and its namespace a tenant's.
    for (const l of lines) {
      const ns = l.resource["k8s.namespace.name"] ?? "";
      if (!ns.startsWith(tenantNamespacePrefix)) wrong.push(`a line of namespace "${ns}" was shipped: ${l.body}`);
      else if (l.resource[tenantAttribute] !== ns.slice(tenantNamespacePrefix.length))
        wrong.push(`a line of ${ns} labelled tenant="${l.resource[tenantAttribute]}"`);
    }
    if (wrong.length > 0) throw new Error([...new Set(wrong)].slice(0, 20).join("\n"));
    r.note(`${lines.length} lines received, each labelled with its own namespace's tenant`);
  });
};

export const logsShipped: RuntimeScenario = {
  id: "logs-shipped",
  title:
    "the platform's log pipeline ships each tenant's lines labelled with its tenant to a receiver on the host, never another's; nothing waits on it",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "standard tenant", "standard-ready");
    const gamma = madeBy(made.gamma, "premium tenant", "chat-premium");
    r.standIn(runtimeStandIns.logsBackend);
    const receiver = new OtlpReceiver();
    await receiver.start(ctx.log);
    const catalog = ctx.platformCatalog ?? labCatalog;
    try {
      const started = Date.now();
      const pod = await r.step(
        "the platform's collector runs on the node, pushing to the host's receiver",
        async () => {
          await applyLabPlatform(ctx, catalog, "upgrade", logsValues(ctx, receiver));
          return collectorRunning(ctx);
        },
      );
      if (!pod) return;
      r.figure("collectorReadySeconds", (Date.now() - started) / 1000);

      await linesLabelled(ctx, r, receiver, [alpha, gamma]);

      await r.step("a tenant cannot reach the collector, nor mount anything of the node", async () => {
        const declared = pod.spec?.containers.flatMap((c) => c.ports ?? []) ?? [];
        if (declared.length > 0) throw new Error(`the collector declares ports: ${JSON.stringify(declared)}`);
        const ip = String(pod.status?.podIP ?? "");
        // 4318 and 8888: OTLP/HTTP and the collector's own metrics, were either ever served.
        for (const port of [4318, 8888])
          if (await openwebuiConnects(ctx, alpha, ip, port))
            throw new Error(`${alpha.name}'s OpenWebUI connected to the collector at ${ip}:${port}`);
        for (const t of [alpha, gamma]) {
          const pods = JSON.parse(await ctx.k.kubectl(["get", "pods", "-n", t.namespace, "-o", "json"])) as {
            items: Named<Pod>[];
          };
          const mounts = pods.items.flatMap((p) =>
            (p.spec?.volumes ?? []).filter((v) => v.hostPath).map((v) => `${p.metadata.name}: ${v.name}`),
          );
          if (mounts.length > 0) throw new Error(`${t.name}'s pods mount the node: ${mounts.join(", ")}`);
        }
      });

      r.standIn(runtimeStandIns.logsOutage);
      await receiver.stop();
      await r.step("the receiver down, tenants answer at once and the collector keeps running", async () => {
        for (const t of [alpha, gamma]) {
          const asked = Date.now();
          await markedRequest(ctx, t, "outage");
          const seconds = (Date.now() - asked) / 1000;
          if (seconds > 5) throw new Error(`${t.name}'s OpenWebUI took ${seconds.toFixed(1)} s to answer`);
        }
        // Long enough for the exporter's first retries to fail.
        await new Promise((resolve) => setTimeout(resolve, 15_000));
        const [after] = await podsOf(ctx.k, logsNamespace, `app.kubernetes.io/component=${logsComponent}`);
        const restarts = after?.status?.containerStatuses?.reduce((n, c) => n + c.restartCount, 0) ?? -1;
        if (after?.metadata.name !== pod.metadata.name || restarts !== 0)
          throw new Error(`the collector did not keep running: ${after?.metadata.name}, ${restarts} restarts`);
      });
    } finally {
      await applyLabPlatform(ctx, catalog);
      await receiver.remove();
    }
  },
};
