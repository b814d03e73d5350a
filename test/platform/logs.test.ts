/**
 * The tenants' log pipeline: the collector DaemonSet reads only tenant namespaces' pod logs, labels each line with its
 * tenant, and pushes it to one destination, with credentials from a Secret and nothing else reachable. The last test
 * runs the pinned collector (the runtime group's `otelcol`) with the configuration, arguments and environment the
 * chart renders, over a directory laid out as the kubelet lays out /var/log/pods.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NetworkPolicy } from "../../charts-src/lib/k8s.js";
import { logsNamespace } from "../../charts-src/lib/log-pipeline.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { ofKind, renderChart } from "../rendered.js";
import {
  configText,
  container,
  collector,
  criLine,
  hostCollector,
  podLogFile,
  podSpec,
  release,
  toLoki,
} from "./log-collector.js";

const withLogs = renderChart("platform", toLoki, release);

describe("the tenants' log pipeline", () => {
  it("is off by default: nothing is rendered in its namespace", () => {
    const docs = renderChart("platform", {}, release);
    expect(docs.filter((d) => d.metadata.namespace === logsNamespace || d.metadata.name === logsNamespace)).toEqual([]);
  });

  it("runs one collector per node, every taint tolerated, so premium tenants on GPU pools are collected too", () => {
    expect(collector(withLogs).metadata?.namespace).toBe(logsNamespace);
    expect(podSpec(withLogs).tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("reads the node's pod logs read-only, and only the files of tenant namespaces", () => {
    const spec = podSpec(withLogs);
    expect(spec.volumes?.find((v) => v.name === "pod-logs")?.hostPath?.path).toBe("/var/log/pods");
    expect(container(withLogs).volumeMounts?.find((m) => m.name === "pod-logs")).toEqual({
      name: "pod-logs",
      mountPath: "/var/log/pods",
      readOnly: true,
    });
    // A kubelet whose podLogsDir is elsewhere: the node's directory is mounted where the configuration reads.
    const elsewhere = renderChart(
      "platform",
      { logs: { ...toLoki.logs, podLogsDir: "/data/kubelet/pod-logs" } },
      release,
    );
    expect(podSpec(elsewhere).volumes?.find((v) => v.name === "pod-logs")?.hostPath?.path).toBe(
      "/data/kubelet/pod-logs",
    );
    expect(configText(withLogs)).toContain("- /var/log/pods/tenant-*_*_*/*/*.log");
  });

  it("runs as root only to read root's files: no capability, no escalation, a read-only root filesystem", () => {
    const sc = container(withLogs).securityContext;
    expect(sc).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(sc?.capabilities?.add).toBeUndefined();
    expect(podSpec(withLogs).automountServiceAccountToken).toBe(false);
  });

  it("is bounded in CPU, memory and ephemeral storage", () => {
    const r = container(withLogs).resources;
    for (const what of ["cpu", "memory", "ephemeral-storage"]) {
      expect(r?.requests?.[what], `requests.${what}`).toBeDefined();
      expect(r?.limits?.[what], `limits.${what}`).toBeDefined();
    }
  });

  it("admits nothing, and reaches only cluster DNS and the destination's range on its port", () => {
    const policies = ofKind<NetworkPolicy>(withLogs, "NetworkPolicy").filter(
      (p) => p.metadata.namespace === logsNamespace,
    );
    expect(policies.every((p) => !p.spec?.ingress?.length && p.spec?.policyTypes?.includes("Ingress"))).toBe(true);
    const egress = policies.flatMap((p) => p.spec?.egress ?? []);
    const destinations = egress.flatMap((rule) => (rule.to ?? []).flatMap((peer) => peer.ipBlock?.cidr ?? []));
    expect(destinations).toEqual(["10.0.0.0/16"]);
    const ports = egress.flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
    expect(ports.sort()).toEqual([53, 53, 8080].sort());
  });

  it("sends each header's value from the Secret: no value is written in the pod spec or the configuration", () => {
    const env = container(withLogs).env ?? [];
    expect(env.find((e) => e.name === "LOGS_HEADER_X_Scope_OrgID")?.valueFrom?.secretKeyRef).toEqual({
      name: "loki-push",
      key: "org-id",
    });
    expect(JSON.stringify(withLogs)).not.toMatch(/Bearer|s3cr3t/);
  });
});

/** A free loopback port, as the kernel hands one out. */
const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const waitFor = async <T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Each line the receiver wrote, with its resource's attributes. */
const receivedLines = (file: string): { body: string; attributes: Record<string, string> }[] =>
  !existsSync(file)
    ? []
    : readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim())
        .flatMap((line) => {
          const doc = JSON.parse(line) as {
            resourceLogs?: {
              resource: { attributes: { key: string; value: { stringValue?: string } }[] };
              scopeLogs: { logRecords: { body: { stringValue?: string } }[] }[];
            }[];
          };
          return (doc.resourceLogs ?? []).flatMap((rl) => {
            const attributes = Object.fromEntries(
              rl.resource.attributes.map((a) => [a.key, a.value.stringValue ?? ""]),
            );
            return rl.scopeLogs.flatMap((sl) =>
              sl.logRecords.map((r) => ({ body: r.body.stringValue ?? "", attributes })),
            );
          });
        });

describe("the collector, run as the chart configures it", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmcharts-logs-"));
  const processes: ChildProcess[] = [];
  let proxy: Server | undefined;
  afterAll(async () => {
    const exited = (p: ChildProcess) =>
      new Promise((resolve) => {
        if (p.exitCode !== null) return resolve(p.exitCode);
        p.on("exit", resolve);
        p.kill();
      });
    await Promise.all(processes.map(exited));
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (name: string, args: string[], env: NodeJS.ProcessEnv): { log: () => string } => {
    const log = join(dir, `${name}.log`);
    writeFileSync(log, "");
    const child = spawn(requireBin("otelcol"), args, { env: { PATH: process.env.PATH, ...env } });
    child.stdout?.on("data", (d) => appendFileSync(log, d));
    child.stderr?.on("data", (d) => appendFileSync(log, d));
    processes.push(child);
    return { log: () => readFileSync(log, "utf8") };
  };

  it("ships tenants' lines labelled with their tenant, never another namespace's, with the Secret's header", async () => {
    const pods = join(dir, "pods");
    const received = join(dir, "received.jsonl");
    const receiverPort = await freePort();
    writeFileSync(
      join(dir, "receiver.yaml"),
      [
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http:",
        `        endpoint: 127.0.0.1:${receiverPort}`,
        // Where Loki 3 takes OTLP logs: the endpoint's /otlp, then OTLP's /v1/logs.
        "        logs_url_path: /otlp/v1/logs",
        "exporters:",
        "  file:",
        `    path: ${received}`,
        "    flush_interval: 100ms",
        "service:",
        "  telemetry:",
        "    metrics:",
        "      level: none",
        "  pipelines:",
        "    logs:",
        "      receivers: [otlp]",
        "      exporters: [file]",
      ].join("\n"),
    );
    const receiver = start("receiver", [`--config=file:${join(dir, "receiver.yaml")}`], {});

    // The destination: a recorder of each push's headers in front of the receiver.
    const headers: Record<string, string | string[] | undefined>[] = [];
    proxy = createServer((req, res) => {
      headers.push(req.headers);
      const upstream = request(
        { host: "127.0.0.1", port: receiverPort, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy?.listen(0, "127.0.0.1", resolve));
    const proxyPort = (proxy.address() as AddressInfo).port;

    // The chart's own configuration, arguments and environment; the node's directory and the Secret's value stood in.
    const { args, env } = hostCollector(dir, pods, `http://127.0.0.1:${proxyPort}/otlp`);
    const shipper = start("shipper", args, env);
    await waitFor("the shipper to start", () =>
      shipper.log().includes("Everything is ready") ? true : undefined,
    ).catch((e) => {
      throw new Error(`${e}\n${shipper.log()}`);
    });
    await waitFor("the receiver to start", () => (receiver.log().includes("Everything is ready") ? true : undefined));

    // The kubelet's layout: <namespace>_<pod>_<uid>/<container>/<restart>.log, each line in the CRI format.
    const files = {
      acme: podLogFile(
        pods,
        "tenant-acme",
        "openwebui-7d9f8-x2x4z",
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "openwebui",
      ),
      globex: podLogFile(
        pods,
        "tenant-globex",
        "openwebui-5c6b7-q8w9e",
        "1b4e28ba-2fa1-11d2-883f-0016d3cca428",
        "openwebui",
      ),
      system: podLogFile(pods, "kube-system", "coredns-6d4b7-abcde", "1b4e28ba-2fa1-11d2-883f-0016d3cca429", "coredns"),
    };
    // Give the receiver's first scan (every 200 ms) time to find the new files at their end, then write.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const [who, file] of Object.entries(files)) appendFileSync(file, criLine(`hello from ${who}`));

    const lines = await waitFor("both tenants' lines at the receiver", () => {
      const got = receivedLines(received);
      return ["acme", "globex"].every((t) => got.some((l) => l.body === `hello from ${t}`)) ? got : undefined;
    }).catch((e) => {
      throw new Error(`${e}\n${shipper.log()}`);
    });

    expect(lines.find((l) => l.body === "hello from acme")?.attributes).toMatchObject({
      tenant: "acme",
      "k8s.namespace.name": "tenant-acme",
      "k8s.container.name": "openwebui",
    });
    expect(lines.find((l) => l.body === "hello from globex")?.attributes.tenant).toBe("globex");
    expect(lines.filter((l) => l.body.includes("acme")).every((l) => l.attributes.tenant === "acme")).toBe(true);
    expect(lines.some((l) => l.body === "hello from system")).toBe(false);
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((h) => h["x-scope-orgid"] === "org-of-acme")).toBe(true);
  }, 60_000);
});
