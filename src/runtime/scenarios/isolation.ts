/**
 * isolation-enforced: the tenant NetworkPolicies enforced by a real CNI and kube-router, proven by real TCP connects:
 * from a pod of another tenant and from the default namespace, tenant alpha's Ollama and OpenWebUI, and premium
 * tenant gamma's wake-up proxy, are refused;
 * from alpha's OpenWebUI, its own Ollama answers and names resolve; alpha's Ollama reaches nothing at all.
 */
import { tenantObjectNames as names, tenantPorts as ports } from "../../../charts-src/lib/tenant-namespace.js";
import { busyboxImage } from "../../images/catalog.js";
import type { Kube } from "../../harness/kube.js";
import { componentSelector, execIn, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import type { RuntimeScenario } from "../context.js";

/** A restricted busybox pod serving HTTP on port 8000 (a listener to connect to) and running the client probes. */
const probePod = (namespace: string, name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [
      {
        name: "main",
        image: busyboxImage.config.ref,
        imagePullPolicy: "Never",
        command: ["httpd", "-f", "-p", "8000", "-h", "/"],
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
      },
    ],
  },
});

/** Whether a TCP connect from a busybox pod to ip:port succeeds within 3 s (no stdin: nc connects and closes). */
const busyboxConnects = async (kube: Kube, ns: string, pod: string, ip: string, port: number) =>
  (await execIn(kube, ns, pod, "main", ["nc", "-w", "3", ip, String(port)])).code === 0;

/** Whether a TCP connect from a container with bash (Ollama's Debian image) succeeds within 3 s. */
const bashConnects = async (kube: Kube, ns: string, pod: string, container: string, ip: string, port: number) =>
  (await execIn(kube, ns, pod, container, ["timeout", "3", "bash", "-c", `exec 3<>/dev/tcp/${ip}/${port}`])).code === 0;

/** Whether a TCP connect from OpenWebUI's container (Python) to host:port succeeds within 3 s. */
const pythonConnects = async (kube: Kube, ns: string, pod: string, host: string, port: number) =>
  (
    await execIn(kube, ns, pod, "openwebui", [
      "python3",
      "-c",
      `import socket; socket.create_connection((${JSON.stringify(host)}, ${port}), 3)`,
    ])
  ).code === 0;

const podIp = async (kube: Kube, ns: string, selector: string) => {
  const [pod] = await waitPodsReady(kube, ns, selector, { timeoutMs: 60_000 });
  return { name: pod?.metadata.name ?? "", ip: String(pod?.status?.podIP ?? "") };
};

export const isolationEnforced: RuntimeScenario = {
  id: "isolation-enforced",
  title: "NetworkPolicies enforced by a real CNI and kube-router: connects across tenants refused, within one allowed",
  run: async (ctx, _r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const gamma = madeBy(made.gamma, "tenant gamma", "chat-premium");
    const k = ctx.k;
    await k.kubectl(["create", "namespace", "tenant-intruder"]).catch(() => undefined);
    await k.apply([probePod("tenant-intruder", "intruder"), probePod("default", "outsider")]);
    const intruder = await podIp(k, "tenant-intruder", "app=intruder");
    const outsider = await podIp(k, "default", "app=outsider");
    const ollama = await podIp(k, alpha.namespace, componentSelector(names.ollamaStandard));
    const webui = await podIp(k, alpha.namespace, componentSelector(names.openwebui));
    const ollamaSvc = (
      await k.kubectl(["get", "svc", names.ollamaStandard, "-n", alpha.namespace, "-o", "jsonpath={.spec.clusterIP}"])
    ).trim();
    // Premium tenant gamma's wake-up proxy, on the firewalled standard node: the one way to its premium Ollama.
    const wake = await podIp(k, gamma.namespace, componentSelector(names.premiumWake));

    const wrong: string[] = [];
    const expect = (what: string, got: boolean, want: boolean) => {
      if (got !== want)
        wrong.push(`${what}: ${got ? "connected" : "refused"}, expected ${want ? "connected" : "refused"}`);
    };
    // The probe itself works: the outsider reaches the intruder's listener (no policy on either), so a refusal below
    // is the policy's doing.
    expect(
      "default → intruder pod (no policy on either)",
      await busyboxConnects(k, "default", outsider.name, intruder.ip, 8000),
      true,
    );
    for (const [from, pod] of [
      ["tenant-intruder", intruder.name],
      ["default", outsider.name],
    ] as const) {
      expect(`${from} → alpha Ollama pod`, await busyboxConnects(k, from, pod, ollama.ip, ports.ollama), false);
      expect(`${from} → alpha Ollama Service`, await busyboxConnects(k, from, pod, ollamaSvc, ports.ollama), false);
      expect(`${from} → alpha OpenWebUI pod`, await busyboxConnects(k, from, pod, webui.ip, ports.openwebui), false);
      expect(
        `${from} → gamma's premium wake-up proxy`,
        await busyboxConnects(k, from, pod, wake.ip, ports.wakeProxy),
        false,
      );
      expect(
        `${from} → gamma's wake-up proxy count`,
        await busyboxConnects(k, from, pod, wake.ip, ports.wakeAdmin),
        false,
      );
    }
    expect(
      "alpha OpenWebUI → its Ollama (by name)",
      await pythonConnects(k, alpha.namespace, webui.name, names.ollamaStandard, ports.ollama),
      true,
    );
    expect(
      "alpha Ollama → the intruder's listener",
      await bashConnects(k, alpha.namespace, ollama.name, "ollama", intruder.ip, 8000),
      false,
    );
    expect(
      "alpha OpenWebUI → the intruder's listener",
      await pythonConnects(k, alpha.namespace, webui.name, intruder.ip, 8000),
      false,
    );
    // Outside the pod network: the node's own API server port, which a pod without policy reaches.
    const api = new URL(ctx.info?.apiserverUrl ?? "https://0.0.0.0:0");
    const apiPort = Number(api.port);
    expect(
      "default → the node's API server port (no policy)",
      await busyboxConnects(k, "default", outsider.name, api.hostname, apiPort),
      true,
    );
    expect(
      "alpha Ollama → the node's API server port (Ollama has no egress)",
      await bashConnects(k, alpha.namespace, ollama.name, "ollama", api.hostname, apiPort),
      false,
    );
    if (wrong.length > 0) throw new Error(wrong.join("; "));
  },
};
