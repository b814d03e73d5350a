/**
 * The images the real node runs, all built here from pinned inputs: no registry, no Docker engine, no weights.
 * - pause: the pod sandbox, a static C program;
 * - busybox: the test hook's tools (busybox-static from Debian);
 * - coredns: cluster DNS, the pinned CoreDNS build;
 * - keda-http-interceptor: the KEDA HTTP add-on's interceptor, which holds a tenant's requests while its premium
 *   Ollama is scaled to zero;
 * - ollama: the pinned Ollama build (CPU) on a minimal Debian;
 * - open-webui: the pinned PyPI release in a venv of Debian's Python 3.11;
 * - prometheus and prometheus-config-reloader: the pinned Prometheus Operator's tools module's builds;
 * - alertmanager and blackbox-exporter: Debian's packages (the Go proxy cannot build them here);
 * - kube-state-metrics: the pinned build, the cluster's objects as metrics;
 * - traefik: the pinned build, the ingress controller users reach their tenant's OpenWebUI through;
 * - otelcol: the pinned OpenTelemetry Collector build, the platform's log collector on every node.
 * Every image runs as a non-root user by default and is referenced as localhost/llmcharts/<name>:<version>.
 */
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { debianImageBase, tools } from "../toolchain/pins.js";
import { binPath, goTool } from "../toolchain/tools.js";
import {
  alertmanagerImage,
  blackboxExporterImage,
  kubeStateMetricsImage,
  prometheusConfigReloaderImage,
  prometheusImage,
} from "./monitoring.js";
import { openwebuiImage } from "./openwebui.js";
import { copyRootfs, debianRootfs } from "./rootfs.js";
import { type ImageSpec, ref, skeleton, staticBinaryImage, version } from "./spec.js";

export { imageRepository, type ImageSpec } from "./spec.js";
export {
  alertmanagerImage,
  blackboxExporterImage,
  kubeStateMetricsImage,
  openwebuiImage,
  prometheusConfigReloaderImage,
  prometheusImage,
};

/** The sandbox process: sleeps until a signal ends it, and reaps orphans (it is PID 1 of the pod). */
const pauseSource = `#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void quit(int s) { (void)s; _exit(0); }
static void reap(int s) { (void)s; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  signal(SIGINT, quit);
  signal(SIGTERM, quit);
  signal(SIGCHLD, reap);
  for (;;) pause();
}
`;

export const pauseImage: ImageSpec = {
  name: "pause",
  version: "1.0",
  inputs: pauseSource,
  recipe: ["catalog.ts", "spec.ts"],
  config: { ref: ref("pause", "1.0"), entrypoint: ["/pause"], user: "65535:65535" },
  build: async (rootfs) => {
    skeleton(rootfs);
    const src = join(rootfs, "..", "pause.c");
    writeFileSync(src, pauseSource);
    await runStep("gcc pause", "gcc", ["-static", "-Os", "-s", "-o", join(rootfs, "pause"), src]);
  },
};

export const busyboxImage: ImageSpec = {
  name: "busybox",
  version:
    tools
      .find((t) => t.name === "busybox-static")
      ?.version.replace(/^\d+:/, "")
      .split("-")[0] ?? "0",
  inputs: tools.find((t) => t.name === "busybox-static"),
  recipe: ["catalog.ts", "spec.ts"],
  config: { ref: "", entrypoint: ["/bin/sh"], user: "1000:1000" },
  build: async (rootfs) => {
    skeleton(rootfs, ["bin"]);
    copyFileSync(binPath("busybox"), join(rootfs, "bin", "busybox"));
    chmodSync(join(rootfs, "bin", "busybox"), 0o755);
    for (const applet of [
      "sh",
      "nc",
      "wget",
      "httpd",
      "sleep",
      "cat",
      "echo",
      "id",
      "touch",
      "ls",
      "nslookup",
      "printf",
      "timeout",
    ]) {
      symlinkSync("busybox", join(rootfs, "bin", applet));
    }
  },
};
busyboxImage.config.ref = ref("busybox", busyboxImage.version);

export const corednsImage = staticBinaryImage("coredns", "coredns");

export const kedaHttpInterceptorImage = staticBinaryImage("keda-http-interceptor", "interceptor");

/** Debian packages the Ollama binary links against (cgo: libstdc++ and OpenMP), and CA certificates. */
const ollamaPackages = ["libgomp1", "ca-certificates"];

export const ollamaImage: ImageSpec = {
  name: "ollama",
  version: version("ollama"),
  inputs: { tool: goTool("ollama"), base: debianImageBase, packages: ollamaPackages },
  recipe: ["catalog.ts"],
  config: {
    ref: ref("ollama", version("ollama")),
    entrypoint: ["/usr/bin/ollama"],
    cmd: ["serve"],
    user: "1000:1000",
    env: { OLLAMA_HOST: "0.0.0.0:11434", HOME: "/home/ollama" },
  },
  build: async (rootfs, log) => {
    await copyRootfs(await debianRootfs(ollamaPackages, log), rootfs);
    copyFileSync(binPath("ollama"), join(rootfs, "usr", "bin", "ollama"));
    chmodSync(join(rootfs, "usr", "bin", "ollama"), 0o755);
    mkdirSync(join(rootfs, "home", "ollama"), { recursive: true });
  },
};

/** Traefik: the ingress controller (TLS, streamed answers, websockets, upload limits) in front of the tenants. */
export const traefikImage = staticBinaryImage("traefik", "traefik");

/**
 * The platform's log collector (charts-src/platform/logs.ts): the chart runs it as root, which alone reads the node's
 * pod log files, so the image's own user is never used there.
 */
export const otelcolImage = staticBinaryImage("otelcol", "otelcol");

export const images: ImageSpec[] = [
  pauseImage,
  busyboxImage,
  corednsImage,
  kedaHttpInterceptorImage,
  ollamaImage,
  openwebuiImage,
  prometheusImage,
  alertmanagerImage,
  prometheusConfigReloaderImage,
  blackboxExporterImage,
  kubeStateMetricsImage,
  traefikImage,
  otelcolImage,
];
