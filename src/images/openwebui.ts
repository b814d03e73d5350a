/**
 * The OpenWebUI image: the pinned PyPI release in a venv of Debian's Python 3.11, its requirements less the two that
 * pull PyTorch with CUDA, plus the OpenTelemetry packages its telemetry imports. The slowest image to build, so it
 * has a module (and a cache key) of its own.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { debianImageBase, openwebuiRelease } from "../toolchain/pins.js";
import { copyRootfs, debianRootfs } from "./rootfs.js";
import { type ImageSpec, ref } from "./spec.js";

const openwebuiPackages = ["python3", "python3-venv", "ca-certificates", "libgomp1"];
const venv = "/opt/open-webui";

export const openwebuiImage: ImageSpec = {
  name: "open-webui",
  version: openwebuiRelease.version,
  inputs: { pin: openwebuiRelease, base: debianImageBase, packages: openwebuiPackages },
  recipe: ["openwebui.ts"],
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
      `    pip install ${spec} (without its dependencies), then its requirements less ${openwebuiRelease.leaveOut.join(", ")}, with OpenTelemetry's instrumentations`,
    );
    await chroot("pip install open-webui", [...pip, "--no-deps", spec]);
    const requirements = await chroot("requirements", [
      `${venv}/bin/python`,
      "-c",
      requirementsScript(openwebuiRelease.package, openwebuiRelease.extras, openwebuiRelease.leaveOut),
    ]);
    // One resolution: the instrumentations' OpenTelemetry release with chromadb's own OpenTelemetry requirements.
    const wanted = [...requirements.stdout.trim().split("\n"), ...openwebuiRelease.telemetry];
    await chroot("pip install requirements", [...pip, ...wanted]);
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
