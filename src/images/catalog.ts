/**
 * The images the real node runs, all built here from pinned inputs: no registry, no Docker engine, no weights.
 * - pause: the pod sandbox, a static C program;
 * - busybox: the test hook's tools (busybox-static from Debian);
 * - coredns: cluster DNS, the pinned CoreDNS build;
 * - keda-http-interceptor: the KEDA HTTP add-on's interceptor, which holds a tenant's requests while its premium
 *   Ollama is scaled to zero;
 * - ollama: the pinned Ollama build (CPU) on a minimal Debian;
 * - open-webui: the pinned PyPI release in a venv of Debian's Python 3.11.
 * Every image runs as a non-root user by default and is referenced as localhost/llmcharts/<name>:<version>.
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { debianImageBase, openwebuiRelease, tools } from "../toolchain/pins.js";
import { binPath, goTool } from "../toolchain/tools.js";
import type { ImageConfig } from "./oci.js";
import { copyRootfs, debianRootfs } from "./rootfs.js";

export interface ImageSpec {
  name: string;
  version: string;
  /** What the image is made of: a change here makes a new image (the cache key). */
  inputs: unknown;
  config: ImageConfig;
  /** Writes the image's root filesystem into `rootfs` (an empty directory, or absent). */
  build: (rootfs: string, log: (line: string) => void) => Promise<void>;
}

export const imageRepository = "localhost/llmcharts";
const ref = (name: string, version: string) => `${imageRepository}/${name}:${version}`;

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

/** Directories every image has: a writable /tmp is a volume in the charts, but the mount point must exist. */
const skeleton = (rootfs: string, dirs: string[] = []) => {
  for (const d of ["tmp", "etc", ...dirs]) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, "tmp"), 0o1777);
  writeFileSync(
    join(rootfs, "etc", "passwd"),
    "root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000:app:/home/app:/sbin/nologin\n",
  );
  writeFileSync(join(rootfs, "etc", "group"), "root:x:0:\napp:x:1000:\n");
};

const version = (name: string) => (tools.find((t) => t.name === name)?.version ?? "").replace(/^v/, "");

export const pauseImage: ImageSpec = {
  name: "pause",
  version: "1.0",
  inputs: pauseSource,
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

/** A pinned Go tool's static binary at the root of an otherwise empty image, run as an unprivileged user. */
const staticBinaryImage = (tool: string, exe: string): ImageSpec => ({
  name: tool,
  version: version(tool),
  inputs: goTool(tool),
  config: { ref: ref(tool, version(tool)), entrypoint: [`/${exe}`], user: "65532:65532" },
  build: async (rootfs) => {
    skeleton(rootfs);
    copyFileSync(binPath(exe), join(rootfs, exe));
    chmodSync(join(rootfs, exe), 0o755);
  },
});

export const corednsImage = staticBinaryImage("coredns", "coredns");

export const kedaHttpInterceptorImage = staticBinaryImage("keda-http-interceptor", "interceptor");

/** Debian packages the Ollama binary links against (cgo: libstdc++ and OpenMP), and CA certificates. */
const ollamaPackages = ["libgomp1", "ca-certificates"];

export const ollamaImage: ImageSpec = {
  name: "ollama",
  version: version("ollama"),
  inputs: { tool: goTool("ollama"), base: debianImageBase, packages: ollamaPackages },
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

const openwebuiPackages = ["python3", "python3-venv", "ca-certificates", "libgomp1"];
const venv = "/opt/open-webui";

export const openwebuiImage: ImageSpec = {
  name: "open-webui",
  version: openwebuiRelease.version,
  inputs: { pin: openwebuiRelease, base: debianImageBase, packages: openwebuiPackages },
  config: {
    ref: ref("open-webui", openwebuiRelease.version),
    entrypoint: [`${venv}/bin/open-webui`],
    cmd: ["serve", "--host", "0.0.0.0", "--port", "8080"],
    user: "1000:1000",
    workdir: "/app/backend",
    env: { PATH: `${venv}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, PYTHONUNBUFFERED: "1" },
  },
  build: async (rootfs, log) => {
    await copyRootfs(await debianRootfs(openwebuiPackages, log), rootfs);
    for (const d of ["app/backend/data", "home/openwebui"]) mkdirSync(join(rootfs, d), { recursive: true });
    const chroot = (step: string, args: string[]) => runStep(step, "chroot", [rootfs, ...args], { env: chrootEnv });
    // pip inside the chroot reaches PyPI with the host's resolver and CA bundle; the image keeps neither.
    copyFileSync("/etc/resolv.conf", join(rootfs, "etc", "resolv.conf"));
    copyFileSync(hostCaBundle(), join(rootfs, "tmp", "host-ca.crt"));
    log("    python3 -m venv (Debian's Python)");
    await chroot("venv", ["python3", "-m", "venv", venv]);
    const pip = [`${venv}/bin/pip`, "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir"];
    const spec = `${openwebuiRelease.package}==${openwebuiRelease.version}`;
    log(
      `    pip install ${spec} (without its dependencies), then its requirements less ${openwebuiRelease.leaveOut.join(", ")}`,
    );
    await chroot("pip install open-webui", [...pip, "--no-deps", spec]);
    const requirements = await chroot("requirements", [
      `${venv}/bin/python`,
      "-c",
      requirementsScript(openwebuiRelease.package, openwebuiRelease.extras, openwebuiRelease.leaveOut),
    ]);
    await chroot("pip install requirements", [...pip, ...requirements.stdout.trim().split("\n")]);
    rmSync(join(rootfs, "etc", "resolv.conf"));
    rmSync(join(rootfs, "tmp", "host-ca.crt"));
    rmSync(join(rootfs, "root", ".cache"), { recursive: true, force: true });
  },
};

/** The CA bundle the host trusts (a site may reach PyPI through a TLS-inspecting proxy). */
const hostCaBundle = () => process.env.PIP_CERT ?? process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";

/** Inside the chroot, every variable that names a CA bundle points at the host's (copied in); no host wheel dirs. */
const chrootCa = "/tmp/host-ca.crt";
const chrootEnv = {
  PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: "/root",
  LANG: "C.UTF-8",
  PIP_CERT: chrootCa,
  SSL_CERT_FILE: chrootCa,
  REQUESTS_CA_BUNDLE: chrootCa,
  CURL_CA_BUNDLE: chrootCa,
  SSL_CERT_DIR: "/etc/ssl/certs",
  PIP_FIND_LINKS: "",
  PIP_DEFAULT_TIMEOUT: "180",
};

/** Python that prints a distribution's requirements (with the given extras), minus the ones left out. */
const requirementsScript = (pkg: string, extras: readonly string[], leaveOut: readonly string[]) =>
  [
    "import importlib.metadata as m, re",
    `extras = ${JSON.stringify(extras)}; leave = ${JSON.stringify(leaveOut)}`,
    `for r in m.requires(${JSON.stringify(pkg)}) or []:`,
    "    spec, _, marker = r.partition(';')",
    "    name = re.split(r'[<>=!~\\[ ]', spec.strip(), maxsplit=1)[0].lower()",
    "    extra = re.search(r\"extra == '([^']+)'\", marker)",
    "    if name in leave or (extra and extra.group(1) not in extras): continue",
    "    print(spec.strip())",
  ].join("\n");

export const images: ImageSpec[] = [
  pauseImage,
  busyboxImage,
  corednsImage,
  kedaHttpInterceptorImage,
  ollamaImage,
  openwebuiImage,
];
