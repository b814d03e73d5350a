/**
 * What the monitoring namespace may reach in a tenant, as np-guard's analyzer computes it from the rendered
 * NetworkPolicies and workloads (the install suite's isolation scenario asks the same tool of a live cluster): the
 * platform's health prober reaches OpenWebUI's HTTP port, Prometheus only the metrics port it scrapes, and nothing
 * else of the monitoring namespace gets in.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import type { Deployment, Named, Namespace } from "../../charts-src/lib/k8s.js";
import {
  healthProber,
  tenantObjectNames as names,
  tenantPorts as ports,
} from "../../charts-src/lib/tenant-namespace.js";
import { analyze, parsePeer } from "../../src/install/netpol.js";
import type { Rendered } from "../rendered.js";
import { render } from "./render.js";

const work = mkdtempSync(join(tmpdir(), "llmcharts-network-reach-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const namespace = (name: string, labels: Record<string, string> = {}): Named<Namespace> => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { ...labels, "kubernetes.io/metadata.name": name } },
});

/** A workload of the monitoring namespace, with its pods' labels. */
const monitoringPeer = (name: string, labels: Record<string, string>): Named<Deployment> => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "monitoring", labels },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name, image: "registry.example/peer:1", ports: [{ containerPort: 9115 }] }] },
    },
  },
});

const prober = monitoringPeer("blackbox-exporter", { ...healthProber.podLabels, "app.kubernetes.io/instance": "bb" });
const prometheus = monitoringPeer("prometheus", { "app.kubernetes.io/name": "prometheus" });

let runs = 0;
/** Every connection np-guard finds from the monitoring namespace into the tenant rendered with `values`. */
const fromMonitoring = async (values: Record<string, unknown>) => {
  const objects = render({ tenant: { name: "acme", tier: "both" }, ...values });
  const tenantNamespace = objects.find((o): o is Named<Namespace> => o.kind === "Namespace");
  const dir = join(work, `run-${++runs}`);
  const files: Record<string, Rendered[]> = {
    "namespaces.yaml": [
      namespace(tenantNamespace?.metadata.name ?? "", tenantNamespace?.metadata.labels),
      namespace("monitoring"),
    ],
    "tenant.yaml": objects.filter((o) => o.kind === "Deployment" || o.kind === "NetworkPolicy"),
    "peers.yaml": [prober, prometheus],
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, docs] of Object.entries(files))
    writeFileSync(join(dir, file), docs.map((d) => stringify(d)).join("---\n"));
  return (await analyze(dir))
    .map((c) => ({ from: parsePeer(c.src), to: parsePeer(c.dst), conn: c.conn }))
    .filter((c) => c.from.namespace === "monitoring" && c.to.namespace === "tenant-acme")
    .map((c) => `${c.from.workload} => ${c.to.workload} : ${c.conn}`)
    .sort();
};

describe("from the monitoring namespace into a tenant (np-guard)", () => {
  it("the health prober reaches OpenWebUI's HTTP port, and nothing else gets in", async () => {
    expect(await fromMonitoring({})).toEqual([`blackbox-exporter => ${names.openwebui} : TCP ${ports.openwebui}`]);
  });

  it("with a metrics endpoint, Prometheus reaches only that port, and only the prober reaches OpenWebUI's HTTP port", async () => {
    expect(await fromMonitoring({ openwebui: { serviceMonitor: { enabled: true } } })).toEqual([
      // np-guard lists every pod of the namespace that the namespace-wide scrape rule admits, the prober too.
      `blackbox-exporter => ${names.openwebui} : TCP ${ports.openwebui},9464`,
      `prometheus => ${names.openwebui} : TCP 9464`,
    ]);
  });

  it("a prober with other labels is named in network.healthProber, and turning it off closes the port", async () => {
    expect(await fromMonitoring({ network: { healthProber: { podLabels: { app: "uptime" } } } })).toEqual([]);
    expect(await fromMonitoring({ network: { healthProber: { enabled: false } } })).toEqual([]);
  });
});
