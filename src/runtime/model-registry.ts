/**
 * The lab's private model registry, where a company keeps the models its tenants may run: the CNCF distribution
 * registry on the host's address, which the platform's pull Jobs reach by a cluster name (a Service naming the host),
 * and nginx serving the registry's storage where the registry redirects blob downloads, as a registry on S3 or behind
 * a CDN does. Ollama 0.24 downloads a blob only through such a cross-host redirect: from a registry that serves blobs
 * itself it fails with "no Location header in response" (ollama/ollama#7244).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostServiceObjects } from "../cluster/host-service.js";
import { freePorts } from "../cluster/ports.js";
import { httpProbe, waitUntil } from "../cluster/probe.js";
import { type Started, startProcess, stopProcesses, tailFile } from "../cluster/processes.js";
import { hostIp } from "../node/host.js";
import { type LocalRegistry, type RegistryOptions, startRegistry } from "../cluster/registry.js";
import { requireBin } from "../toolchain/tools.js";

/** Where pods find the registry: a Service of this name and namespace, on this port. */
const service = { name: "models", namespace: "lab-registry", port: 5000 } as const;

/** nginx serving `root` on `address`, files only; everything it writes stays under `dir`. */
const nginxConfig = (dir: string, address: string, root: string): string => `daemon off;
pid ${join(dir, "nginx.pid")};
events {}
http {
  access_log ${join(dir, "blobs-access.log")};
  client_body_temp_path ${join(dir, "tmp")};
  proxy_temp_path ${join(dir, "tmp")};
  fastcgi_temp_path ${join(dir, "tmp")};
  uwsgi_temp_path ${join(dir, "tmp")};
  scgi_temp_path ${join(dir, "tmp")};
  server {
    listen ${address};
    root ${root};
    location /docker/registry/v2/blobs/ { }
    location = / { return 200; }
    location / { return 404; }
  }
}
`;

export class LabModelRegistry {
  readonly hostAddress = hostIp();
  private dir = "";
  private registry?: LocalRegistry;
  private registryOptions?: RegistryOptions;
  private blobServer?: Started;
  private blobPort = 0;

  /** The registry's name as pods use it (`modelCache.mirror.registry`). */
  readonly inCluster = `${service.name}.${service.namespace}.svc.cluster.local:${service.port}`;

  /** The registry and its blob server, both on the host's address; stopped by `stop`. */
  async start(log: (line: string) => void): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "llmcharts-model-registry-"));
    // nginx's workers run as nobody: they must reach the storage.
    chmodSync(this.dir, 0o755);
    const storage = join(this.dir, "storage");
    mkdirSync(storage, { recursive: true });
    mkdirSync(join(this.dir, "tmp"));
    [this.blobPort = 0] = await freePorts(1);
    const blobs = `${this.hostAddress}:${this.blobPort}`;
    const config = join(this.dir, "nginx.conf");
    writeFileSync(config, nginxConfig(this.dir, blobs, storage));
    const errors = join(this.dir, "blobs-error.log");
    this.blobServer = await startProcess(
      "nginx",
      requireBin("nginx"),
      ["-p", this.dir, "-c", config, "-e", errors],
      join(this.dir, "nginx.log"),
    );
    const server = this.blobServer;
    await waitUntil("the registry's blob server", httpProbe(`http://${blobs}/`), {
      timeoutMs: 15_000,
      guard: () => {
        if (server.exit) throw new Error(`nginx exited (${server.exit.code}):\n${tailFile(errors)}`);
      },
    });
    this.registryOptions = {
      dir: join(this.dir, "registry"),
      storage,
      address: this.hostAddress,
      redirectTo: `http://${blobs}/`,
    };
    this.registry = await startRegistry(this.registryOptions);
    log(`model registry: ${this.registry.host} (in the cluster ${this.inCluster}), blobs on ${blobs}`);
  }

  /** The registry as the host reaches it (where `ollama push` sends models). */
  get host(): string {
    if (!this.registry) throw new Error("the model registry is not started");
    return this.registry.host;
  }

  /**
   * Runs `fn` with the registry stopped, as a registry that is down is to its clients (its address refuses them),
   * then starts it again on the same port and storage.
   */
  async whileDown<T>(fn: () => Promise<T>): Promise<T> {
    const [registry, options] = [this.registry, this.registryOptions];
    if (!registry || !options) throw new Error("the model registry is not started");
    const port = this.registryPort;
    await registry.stop();
    try {
      return await fn();
    } finally {
      this.registry = await startRegistry({ ...options, port });
    }
  }

  /** The registry's port on the host's address. */
  private get registryPort(): number {
    return Number(this.host.split(":")[1]);
  }

  /** The ports the pull Jobs need on the host's address: the registry's and its blob server's. */
  get ports(): number[] {
    return [this.registryPort, this.blobPort];
  }

  /** The namespace and the Service by which pods reach the registry. */
  clusterObjects(): object[] {
    const port = this.registryPort;
    return [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: service.namespace } },
      ...hostServiceObjects({ ...service, host: { ip: this.hostAddress, port }, portName: "http" }),
    ];
  }

  /** What a kept run leaves running. */
  describe(): string {
    const pids = [this.registry?.process, this.blobServer].filter(Boolean).map((p) => `${p?.name} pid ${p?.pid}`);
    return `model registry kept: ${pids.join(", ")}; remove ${this.dir}`;
  }

  /** Both servers by PID, then their directory. */
  async stop(): Promise<void> {
    await this.registry?.stop();
    if (this.blobServer) await stopProcesses([[this.blobServer]], 3000);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
