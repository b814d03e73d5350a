/**
 * Scenario 4: np-guard's analysis of the live NetworkPolicies and pods: no connection between tenants, Ollama only
 * from its own tenant's OpenWebUI, shared namespaces only for ingress, DNS and monitoring.
 */
import { join } from "node:path";
import { analyze, dumpForAnalysis, parsePeer } from "../netpol.js";
import type { Scenario } from "../context.js";

export const isolation: Scenario = {
  id: "4",
  title: "isolation: no tenant reaches another; Ollama only from its own OpenWebUI (np-guard)",
  run: async (ctx, r) => {
    const { kube } = ctx.need();
    const installed = ctx.tenants.filter((t) => t.installed);
    r.check("tenants to compare", installed.length >= 2, installed.map((t) => t.namespace).join(", "));
    const dir = join(ctx.opts.workDir, "netpol");
    await dumpForAnalysis(kube, dir);
    const connections = await r.step("k8snetpolicy list --dirpath … -o json", () => analyze(dir));
    if (!connections) return;
    const tenantNs = new Set(
      (await kube.list("namespaces", undefined, "llmcharts.io/tenant")).map((n) => n.metadata.name),
    );
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
    // With the shared services, only: the ingress controller to OpenWebUI, DNS to kube-system, monitoring.
    const expected = (c: (typeof conns)[number]): boolean =>
      (c.from.namespace === "ingress-nginx" && c.to.workload === "openwebui" && c.conn === "TCP 8080") ||
      (c.to.namespace === "kube-system" && /^((TCP|UDP) 53,?)+$/.test(c.conn)) ||
      c.from.namespace === "monitoring" ||
      c.to.namespace === "monitoring";
    const shared = conns.filter(
      (c) => between(c) && tenantNs.has(c.from.namespace as string) !== tenantNs.has(c.to.namespace as string),
    );
    const unexpected = shared.filter((c) => !expected(c));
    r.check(
      "tenants talk to shared namespaces only for ingress (OpenWebUI 8080), DNS (53) and monitoring",
      unexpected.length === 0,
      unexpected.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") ||
        shared.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n"),
    );
    const toOllama = conns.filter((c) => c.to.workload?.startsWith("ollama"));
    const stray = toOllama.filter((c) => !(c.from.namespace === c.to.namespace && c.from.workload === "openwebui"));
    r.check(
      "Ollama reachable only from its own tenant's OpenWebUI",
      stray.length === 0,
      stray.map((c) => `${c.src} => ${c.dst} ${c.conn}`).join("\n") || `${toOllama.length} connections to Ollama`,
    );
    for (const t of installed) {
      const wanted = [
        ...(t.tier !== "premium" ? ["ollama-standard"] : []),
        ...(t.tier !== "standard" ? ["ollama-premium"] : []),
      ];
      for (const w of wanted) {
        r.check(
          `${t.namespace}: OpenWebUI reaches ${w} on TCP 11434`,
          conns.some(
            (c) =>
              c.from.namespace === t.namespace &&
              c.from.workload === "openwebui" &&
              c.to.namespace === t.namespace &&
              c.to.workload === w &&
              /TCP 11434/.test(c.conn),
          ),
        );
      }
      r.check(
        `${t.namespace}: the ingress controller reaches OpenWebUI (and nothing else)`,
        conns.some(
          (c) =>
            c.from.namespace === "ingress-nginx" && c.to.namespace === t.namespace && c.to.workload === "openwebui",
        ) &&
          !conns.some(
            (c) =>
              c.from.namespace === "ingress-nginx" && c.to.namespace === t.namespace && c.to.workload !== "openwebui",
          ),
      );
    }
  },
};
