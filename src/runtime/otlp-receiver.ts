/**
 * The lab's log and trace backend: the pinned collector (`otelcol`, the build the platform's log pipeline runs) as a
 * host process on the node's address, taking OTLP/HTTP and writing everything it receives to a JSON-lines file, where
 * Loki and Tempo would be. `stop` ends it by PID and removes its directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../cluster/ports.js";
import { waitUntil } from "../cluster/probe.js";
import { type Started, startProcess, stopProcesses, tailFile } from "../cluster/processes.js";
import { hostIp } from "../node/host.js";
import { requireBin } from "../toolchain/tools.js";

/** One log line as the receiver got it: its text and its resource's attributes. */
export interface ReceivedLine {
  body: string;
  resource: Record<string, string>;
}

/** One span as the receiver got it: its name, its attributes and its resource's. */
export interface ReceivedSpan {
  name: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
}

type Attributes = { key: string; value: { stringValue?: string } }[];
const attributes = (list: Attributes | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, a.value.stringValue ?? ""]));

interface Received {
  resourceLogs?: {
    resource?: { attributes?: Attributes };
    scopeLogs?: { logRecords?: { body?: { stringValue?: string } }[] }[];
  }[];
  resourceSpans?: {
    resource?: { attributes?: Attributes };
    scopeSpans?: { spans?: { name?: string; attributes?: Attributes }[] }[];
  }[];
}

export class OtlpReceiver {
  readonly host = hostIp();
  port = 0;
  private dir = "";
  private process?: Started;

  /** Where the collectors push: the base URL their OTLP/HTTP exporters append /v1/logs or /v1/traces to. */
  get endpoint(): string {
    return `http://${this.host}:${this.port}`;
  }

  private get file(): string {
    return join(this.dir, "received.jsonl");
  }

  async start(log: (line: string) => void): Promise<void> {
    [this.port = 0] = await freePorts(1);
    this.dir = mkdtempSync(join(tmpdir(), "llmcharts-otlp-receiver-"));
    const config = join(this.dir, "config.yaml");
    writeFileSync(
      config,
      [
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      http:",
        `        endpoint: ${this.host}:${this.port}`,
        "exporters:",
        "  file:",
        `    path: ${this.file}`,
        "    flush_interval: 200ms",
        "service:",
        "  telemetry:",
        "    metrics:",
        "      level: none",
        "  pipelines:",
        "    logs:",
        "      receivers: [otlp]",
        "      exporters: [file]",
        "    traces:",
        "      receivers: [otlp]",
        "      exporters: [file]",
        "",
      ].join("\n"),
    );
    const logFile = join(this.dir, "otelcol.log");
    this.process = await startProcess("otlp-receiver", requireBin("otelcol"), [`--config=file:${config}`], logFile);
    const started = this.process;
    await waitUntil(
      "otlp-receiver",
      async () => {
        if (started.exit) throw new Error(`the OTLP receiver exited (${started.exit.code}):\n${tailFile(started.log)}`);
        return readFileSync(logFile, "utf8").includes("Everything is ready") || "not ready yet";
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    log(`OTLP receiver: ${this.endpoint} (the pinned collector, writing ${this.file})`);
  }

  private documents(): Received[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, "utf8")
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Received);
  }

  /** Every log line received so far. */
  lines(): ReceivedLine[] {
    return this.documents().flatMap((d) =>
      (d.resourceLogs ?? []).flatMap((rl) => {
        const resource = attributes(rl.resource?.attributes);
        return (rl.scopeLogs ?? []).flatMap((sl) =>
          (sl.logRecords ?? []).map((r) => ({ body: r.body?.stringValue ?? "", resource })),
        );
      }),
    );
  }

  /** Every span received so far. */
  spans(): ReceivedSpan[] {
    return this.documents().flatMap((d) =>
      (d.resourceSpans ?? []).flatMap((rs) => {
        const resource = attributes(rs.resource?.attributes);
        return (rs.scopeSpans ?? []).flatMap((ss) =>
          (ss.spans ?? []).map((span) => ({
            name: span.name ?? "",
            attributes: attributes(span.attributes),
            resource,
          })),
        );
      }),
    );
  }

  async stop(): Promise<void> {
    if (this.process) await stopProcesses([[this.process]]);
    this.process = undefined;
  }

  /** Stops it and removes its directory. */
  async remove(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
