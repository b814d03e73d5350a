/**
 * A real OCI registry (the CNCF distribution registry, pinned and built by the installer) on a port of loopback (or
 * of the host's address), with its configuration and storage in a directory of the caller's: what the publish tests,
 * the install suite and the bench push charts to, and the runtime suite's model registry. Stopped by its pid; the
 * directory is the caller's to remove.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePorts } from "./ports.js";
import { httpProbe, waitUntil } from "./probe.js";
import { type Started, startProcess, stopProcesses, tailFile } from "./processes.js";
import { requireBin } from "../toolchain/tools.js";

export interface LocalRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  /** `oci://127.0.0.1:PORT/charts`, where `publish` pushes. */
  url: string;
  process: Started;
  stop: () => Promise<void>;
}

export interface RegistryOptions {
  /** Configuration, storage and log go here. */
  dir: string;
  /** Refuse every push (distribution's maintenance read-only mode), as a registry without write access does. */
  readOnly?: boolean;
  /** Serve this storage directory (e.g. one another registry wrote) instead of `<dir>/storage`. */
  storage?: string;
  /** The address to listen on (default loopback), e.g. the host's own, for pods to reach. */
  address?: string;
  /** The port to listen on (default a free one): a registry started again where its clients know it. */
  port?: number;
  /**
   * Answer blob downloads with a redirect to this base URL plus the blob's path in storage (distribution's `redirect`
   * storage middleware), where a file server serves the storage directory: as a registry on S3 or a CDN does.
   */
  redirectTo?: string;
  /**
   * Serve HTTPS with this certificate (for the listening address) instead of plain HTTP: clients that trust `ca`
   * (Helm, through SSL_CERT_FILE) then need no `--plain-http`, as with a public registry.
   */
  tls?: { cert: string; key: string; ca: string };
}

/** Starts the registry and waits until `/v2/` answers; fails with the registry's own last log lines. */
export const startRegistry = async (opts: RegistryOptions): Promise<LocalRegistry> => {
  const exe = requireBin("registry");
  mkdirSync(opts.dir, { recursive: true });
  const [port] = opts.port ? [opts.port] : await freePorts(1);
  const host = `${opts.address ?? "127.0.0.1"}:${port}`;
  const config = {
    version: 0.1,
    log: { level: "warn", accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: opts.storage ?? join(opts.dir, "storage") },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false }, readonly: { enabled: opts.readOnly ?? false } },
    },
    middleware: opts.redirectTo
      ? { storage: [{ name: "redirect", options: { baseurl: opts.redirectTo } }] }
      : undefined,
    http: {
      addr: host,
      ...(opts.tls ? { tls: { certificate: join(opts.dir, "tls.crt"), key: join(opts.dir, "tls.key") } } : {}),
    },
  };
  if (opts.tls) {
    writeFileSync(join(opts.dir, "tls.crt"), opts.tls.cert);
    writeFileSync(join(opts.dir, "tls.key"), opts.tls.key, { mode: 0o600 });
  }
  const configFile = join(opts.dir, "config.yml");
  writeFileSync(configFile, stringify(config));
  const log = join(opts.dir, "registry.log");
  // OTel tracing is on by default in distribution 3; nothing listens for it here.
  const env = { ...process.env, OTEL_TRACES_EXPORTER: "none" };
  const proc = await startProcess("registry", exe, ["serve", configFile], log, { env });
  const stop = async () => {
    await stopProcesses([[proc]], 3000);
  };
  try {
    await waitUntil(
      `registry on ${host}`,
      httpProbe(`${opts.tls ? "https" : "http"}://${host}/v2/`, { ca: opts.tls?.ca }),
      {
        timeoutMs: 15_000,
        guard: () => {
          if (proc.exit) throw new Error(`registry exited (${proc.exit.code ?? proc.exit.signal})`);
        },
      },
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- last lines of ${log} ---\n${tailFile(log)}`);
  }
  return { host, url: `oci://${host}/charts`, process: proc, stop };
};
