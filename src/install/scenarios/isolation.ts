/**
 * Scenario 4: np-guard's analysis of the live NetworkPolicies and pods: no connection between tenants; standard
 * Ollama only from its own tenant's OpenWebUI, premium Ollama only from its own tenant's wake-up proxy, the proxy only
 * from that OpenWebUI and KEDA's operator (its count); shared namespaces only for ingress, DNS, monitoring and KEDA;
 * of the monitoring namespace, only the platform's health prober reaches OpenWebUI's HTTP port.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  healthProber,
  tenantObjectNames as names,
  tenantPorts as ports,
} from "../../../charts-src/lib/tenant-namespace.js";
import { isolationMatrix, isolationMatrixSvg } from "../isolation-matrix.js";
import { admitsTcp, analyze, dumpForAnalysis, parsePeer } from "../netpol.js";
import type { InstallScenario } from "../context.js";

const wake = names.premiumWake;
/** The stand-in of the platform's health prober (netpol.ts), named by its pods' label. */
const prober = healthProber.podLabels["app.kubernetes.io/name"];

export const isolation: InstallScenario = {
  id: "4",
  title: "isolation: no tenant reaches another; Ollama only through its own tenant's paths (np-guard)",
  run: async (ctx, r, made) => {
    const { kube } = ctx.need();
    const installed = made.tenants ?? [];
    r.check("tenants to compare", installed.length >= 2, installed.map((t) => t.namespace).join(", "));
    const dir = join(ctx.opts.workDir, "netpol");
    await dumpForAnalysis(kube, dir);
    const connections = await r.step("k8snetpolicy list --dirpath … -o json", () => analyze(dir));
    if (!connections) return;
    const tenantNs = new Set(
      (await kube.list("namespaces", undefined, "llmcharts.io/tenant")).map((n) => n.metadata.name),
    );
    const report = ctx.opts.isolationReport;
    if (report) {
      writeFileSync(report, isolationMatrixSvg(isolationMatrix(connections, [...tenantNs])));
      r.note(`isolation matrix drawn in ${report}`);
    }
    const conns = connections.map((c) => ({ ...c, from: parsePeer(c.src), to: parsePeer(c.dst) }));
    const touching = conns.filter((c) => tenantNs.has(c.from.namespace ?? "") || tenantNs.has(c.to.namespace ?? ""));
    r.note(
      `connections to or from tenant pods allowed by the NetworkPolicies (k8snetpolicy, ${conns.length} in all):\n${touching
        .map((c) => `${c.src} => ${c.dst} : ${c.conn}`)
        .join("\n")}`,
    );
    const between = (c: (typeof conns)[number]) =>
      c.from.namespace !== undefined && c.to.namespace !== undefined && c.from.namespace !== c.to.namespace;
    const cross = conns.filter(
      (c) => between(c) && tenantNs.has(c.from.namespace as string) && tenantNs.has(c.to.namespace as string),
    );
    r.check(
      "no connection from any pod of one tenant to any pod of another",
      cross.length === 0,
      cross.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") || `${conns.length} connections checked`,
    );
    // With the shared services, only: the ingress controller to OpenWebUI, DNS to kube-system, monitoring, and KEDA
    // reading premium's wake-up proxy.
    const expected = (c: (typeof conns)[number]): boolean =>
      (c.from.namespace === "ingress-nginx" &&
        c.to.workload === names.openwebui &&
        c.conn === `TCP ${ports.openwebui}`) ||
      (c.from.namespace === "keda" && c.to.workload === wake && c.conn === `TCP ${ports.wakeAdmin}`) ||
      (c.to.namespace === "kube-system" && /^((TCP|UDP) 53,?)+$/.test(c.conn)) ||
      c.from.namespace === "monitoring" ||
      c.to.namespace === "monitoring";
    const shared = conns.filter(
      (c) => between(c) && tenantNs.has(c.from.namespace as string) !== tenantNs.has(c.to.namespace as string),
    );
    const unexpected = shared.filter((c) => !expected(c));
    r.check(
      `tenants talk to shared namespaces only for ingress (OpenWebUI ${ports.openwebui}), DNS (53), monitoring and KEDA (proxy ${ports.wakeAdmin})`,
      unexpected.length === 0,
      unexpected.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") ||
        shared.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n"),
    );
    // Each Ollama's one way in: standard from its OpenWebUI, premium from its wake-up proxy (which OpenWebUI calls).
    const allowedInto: Record<string, string[]> = {
      [names.ollamaStandard]: [names.openwebui],
      [names.ollamaPremium]: [wake],
      [wake]: [names.openwebui],
    };
    const guarded = conns.filter((c) => c.to.workload !== undefined && c.to.workload in allowedInto);
    const stray = guarded.filter(
      (c) =>
        !(
          c.from.namespace === c.to.namespace && allowedInto[c.to.workload as string]?.includes(c.from.workload ?? "")
        ) && !(c.from.namespace === "keda" && c.to.workload === wake && c.conn === `TCP ${ports.wakeAdmin}`),
    );
    r.check(
      "Ollama reachable only through its own tenant's path (standard from OpenWebUI, premium from its wake-up proxy)",
      stray.length === 0,
      stray.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") ||
        `${guarded.length} connections into Ollama and its proxy`,
    );
    for (const t of installed) {
      const reaches = (from: string, to: string, port: number) =>
        conns.some(
          (c) =>
            c.from.namespace === t.namespace &&
            c.from.workload === from &&
            c.to.namespace === t.namespace &&
            c.to.workload === to &&
            new RegExp(`TCP ${port}\\b`).test(c.conn),
        );
      type Path = [from: string, to: string, port: number];
      const standardPaths: Path[] = [[names.openwebui, names.ollamaStandard, ports.ollama]];
      const premiumPaths: Path[] = [
        [names.openwebui, wake, ports.wakeProxy],
        [wake, names.ollamaPremium, ports.ollama],
      ];
      const paths = [...(t.tier !== "premium" ? standardPaths : []), ...(t.tier !== "standard" ? premiumPaths : [])];
      for (const [from, to, port] of paths)
        r.check(`${t.namespace}: ${from} reaches ${to} on TCP ${port}`, reaches(from, to, port));
      const fromMonitoring = conns.filter((c) => c.from.namespace === "monitoring" && c.to.namespace === t.namespace);
      r.check(
        `${t.namespace}: the platform's health prober reaches OpenWebUI on TCP ${ports.openwebui}, and no other monitoring pod does`,
        fromMonitoring.some(
          (c) => c.from.workload === prober && c.to.workload === names.openwebui && admitsTcp(c.conn, ports.openwebui),
        ) &&
          fromMonitoring.every(
            (c) =>
              c.from.workload === prober || c.to.workload !== names.openwebui || !admitsTcp(c.conn, ports.openwebui),
          ),
        fromMonitoring.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") || "nothing from monitoring",
      );
      r.check(
        `${t.namespace}: the ingress controller reaches OpenWebUI (and nothing else)`,
        conns.some(
          (c) =>
            c.from.namespace === "ingress-nginx" && c.to.namespace === t.namespace && c.to.workload === names.openwebui,
        ) &&
          !conns.some(
            (c) =>
              c.from.namespace === "ingress-nginx" &&
              c.to.namespace === t.namespace &&
              c.to.workload !== names.openwebui,
          ),
      );
    }
  },
};
