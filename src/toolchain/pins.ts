/**
 * The one list of every external tool and data set llmcharts uses, at exact versions.
 * The installer builds from these pins only; `doctor` checks against them.
 */

/** Kubernetes minor the embedded control plane runs, and the range of minors the charts support. */
export const kubernetes = {
  /** kube-apiserver, controller-manager, scheduler and kubectl are built from this `k8s.io/kubernetes` tag. */
  controlPlane: "v1.35.8",
  /** kubeconform validates every rendering against the OpenAPI of the oldest and the newest supported minor. */
  oldestSupported: "v1.32.13",
  newestSupported: "v1.35.8",
} as const;

/** A binary built from a Go module, through a tools module of its own (so its dependencies stay exactly upstream's). */
export interface GoTool {
  kind: "go";
  name: string;
  module: string;
  version: string;
  /** `go` directive of the tools module: upstream's, so the build list matches upstream's own. */
  go: string;
  /**
   * A Go release to build with instead of the machine's own (`GOTOOLCHAIN`), fetched once from the module proxy into
   * the cache: only for a module whose go line is newer than the machine's Go.
   */
  toolchain?: string;
  /** `godebug` line copied from upstream, so GODEBUG defaults match upstream's builds. */
  godebug?: string;
  /** Replace directives upstream needs (Go ignores a dependency's replaces, so the tools module repeats them). */
  replaces?: Record<string, string>;
  /** Replace every `./staging/src/k8s.io/*` module of upstream's go.mod with its published `v0.x.y` tag. */
  replaceStaging?: string;
  /** Modules whose checksums the public sum database does not serve here (verified against the proxy's go.sum instead). */
  noSumDb?: string[];
  /**
   * Each binary, the arguments that make it print its version when they differ from the tool's, and the version it
   * reports when it comes from a dependency of the module (the release upstream's go.mod requires).
   */
  binaries: { exe: string; pkg: string; versionArgs?: string[]; version?: string }[];
  ldflags?: string[];
  /**
   * Arguments that make a binary print its version; the output must contain the pinned version (without a leading
   * v). Empty: read the module version from the binary's Go build information (`go version -m`).
   */
  versionArgs: string[];
  /** Files copied from the downloaded module into the tool's directory (chart-testing's config files). */
  moduleFiles?: string[];
  /** Copy upstream's whole require block into the tools module (else `go mod tidy` may lift shared dependencies). */
  upstreamRequires?: boolean;
  /**
   * More modules a program of ours imports, each at the version of one release: `go mod tidy` would otherwise take the
   * newest of each, which need not build beside the others (a module upstream's block also names takes this version).
   */
  requires?: Record<string, string>;
  /** Copy upstream's replace directives too (a replace by a directory of upstream's repository goes in `replaces`). */
  upstreamReplaces?: boolean;
  /** Built with cgo: the headers its C/C++ sources include that the module zip leaves out (`vendor/` is dropped). */
  cgo?: {
    /** Debian packages (pinned below) providing headers under /usr/include. */
    debian: string[];
    /** A PyPI source distribution whose extracted folder `includeDir` goes on the include path. */
    pypiHeaders?: { package: string; version: string; includeDir: string };
  };
  /**
   * A program of ours instead of upstream's: these Go files of this repository (a main package, relative to its
   * root) are built against `module`@`version`; each binary's `pkg` is then ".". Their content is part of the pin.
   */
  source?: string[];
  /**
   * Built right after this tool, in its build slot: a program of ours against the same module then finds nearly all
   * its packages in the Go build cache that build filled (seconds instead of another full build).
   */
  buildAfter?: string;
}

/** Python command-line tools installed from PyPI into a venv of their own; the installed distributions report the pins. */
export interface PyTool {
  kind: "pypi";
  name: string;
  version: string;
  packages: Record<string, string>;
  binaries: { exe: string }[];
}

/**
 * Packages from Debian (bookworm), installed with apt-get when missing: the node runtime (containerd, runc, ...), the
 * image tools and the host services standing in for cloud ones. They live in the system, not in the cache; the pin
 * is the package version `dpkg-query` must report.
 */
export interface DebianTool {
  kind: "debian";
  name: string;
  version: string;
  /** Executables the package provides, at their installed paths; none for header-only packages. */
  binaries: { exe: string; path: string }[];
}

/**
 * A PostgreSQL extension built from Debian's source package (fetched from Debian's archive, each file checked against
 * its pinned SHA-256, unpacked by dpkg-source) into a copy of Debian's PostgreSQL server tree. The server finds its
 * share and lib directories relative to its own binary, so the copy loads the extension and the system's PostgreSQL
 * is left as the package installed it.
 */
export interface PgExtensionTool {
  kind: "pg-extension";
  name: string;
  /** The Debian source package's version. */
  version: string;
  /** Directory of the source package in Debian's archive. */
  pool: string;
  /** The source package's files (the .dsc first) and their SHA-256. */
  files: Record<string, string>;
  /** The Debian PostgreSQL server package (pinned below) it is built for, and its major version. */
  server: { package: string; major: string };
  /** The extension's name; its control file's default_version must be the upstream part of `version`. */
  extension: string;
  /** Executables of the server tree. */
  binaries: { exe: string }[];
}

export type Tool = GoTool | PyTool | DebianTool | PgExtensionTool;

const k8sVersionFlags = (version: string): string[] => {
  const [major, minor] = version.slice(1).split(".");
  return ["component-base", "client-go/pkg"].flatMap((pkg) => {
    const p = `k8s.io/${pkg}/version`;
    return [
      `-X ${p}.gitVersion=${version}`,
      `-X ${p}.gitMajor=${major}`,
      `-X ${p}.gitMinor=${minor}`,
      `-X ${p}.gitTreeState=clean`,
      `-X ${p}.buildDate=1970-01-01T00:00:00Z`,
    ];
  });
};

/** Helm 4 and Helm 3: the module, version and build flags shared by the helm binaries and our renderers. */
const helm4 = { module: "helm.sh/helm/v4", version: "v4.2.4", go: "1.26.0" };
const helm4Ldflags = [
  `-X helm.sh/helm/v4/internal/version.version=${helm4.version}`,
  "-X helm.sh/helm/v4/internal/version.gitTreeState=clean",
];

const helm3 = { module: "helm.sh/helm/v3", version: "v3.21.4", go: "1.26.0" };
const helm3Ldflags = [
  `-X helm.sh/helm/v3/internal/version.version=${helm3.version}`,
  "-X helm.sh/helm/v3/internal/version.gitTreeState=clean",
  // Without these Helm 3 assumes Kubernetes 1.20 when no cluster is asked; set them from its client-go (0.36).
  ...["pkg/lint/rules", "pkg/chartutil"].flatMap((pkg) => [
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
    `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=36`,
  ]),
];

/** Kyverno: the module, version and build flags shared by its command line and our kyverno-apply. */
const kyverno = {
  module: "github.com/kyverno/kyverno",
  // The release the policy suites and kyverno-apply are proved against (the module proxy serves no v1.17.3).
  version: "v1.17.2",
  go: "1.25.9",
  replaces: {
    "k8s.io/pod-security-admission": "github.com/kyverno/pod-security-admission v0.0.0-20251031094455-46f20778634f",
  },
};
const kyvernoLdflags = [`-X github.com/kyverno/kyverno/pkg/version.BuildVersion=${kyverno.version}`];

// Versions that more than one field reads (a build flag, a CRD source, a file name): each is stated once, here.
const kubeconform = { module: "github.com/yannh/kubeconform", version: "v0.7.0" };
const chartTesting = { module: "github.com/helm/chart-testing/v3", version: "v3.14.0" };
const distribution = { module: "github.com/distribution/distribution/v3", version: "v3.1.2" };
const cniPlugins = { module: "github.com/containernetworking/plugins", version: "v1.10.0" };
const kubeRouter = { module: "github.com/cloudnativelabs/kube-router/v2", version: "v2.1.0" };
const kedaHttpAddOn = { module: "github.com/kedacore/http-add-on", version: "v0.15.0" };
/** Ollama as the runtime suite builds and runs it (its image tag is the version without the v). */
export const ollama = { module: "github.com/ollama/ollama", version: "v0.24.0" };
const argoCd = { module: "github.com/argoproj/argo-cd/v3", version: "v3.5.7" };
const metricsServer = { module: "sigs.k8s.io/metrics-server", version: "v0.8.0" };
const keda = { module: "github.com/kedacore/keda/v2", version: "v2.21.0" };
const karpenter = { module: "sigs.k8s.io/karpenter", version: "v1.15.0" };
const externalSecrets = { module: "github.com/external-secrets/external-secrets", version: "v0.16.2" };
const reloader = { module: "github.com/stakater/Reloader", version: "v1.4.22" };
const traefik = { module: "github.com/traefik/traefik/v3", version: "v3.6.12" };
const kubeStateMetrics = { module: "k8s.io/kube-state-metrics/v2", version: "v2.20.0" };
const prometheusOperator = { module: "github.com/prometheus-operator/prometheus-operator", version: "v0.93.0" };
const miniaudio = { package: "miniaudio", version: "1.71" };
const chartTestingPackages = { yamllint: "1.38.0", yamale: "6.0.0" };
const modelMakerPackages = { gguf: "0.19.0", numpy: "2.4.6" };
const moto = { "moto[server]": "5.2.5" };
/** The OpenTelemetry Collector release the log pipeline is built from: contrib v0.165.1 and the core modules it requires. */
const otelcol = { core: "v0.165.0", stable: "v1.71.0", contrib: "v0.165.1" };
const kubeScore = { module: "github.com/zegl/kube-score", version: "v1.20.0" };
const checkov = { checkov: "3.3.30" };
const pgvector = { name: "pgvector", version: "0.8.0-1" };

/** Ollama's and Argo CD's version variables hold the version without its leading v. */
const bare = (version: string) => version.replace(/^v/, "");

/** A Debian source package's files (the .dsc first), named from its version, and their SHA-256. */
const debianSourceFiles = (
  { name, version }: { name: string; version: string },
  sha256: { dsc: string; orig: string; debian: string },
): Record<string, string> => {
  const upstream = version.slice(0, version.lastIndexOf("-"));
  return {
    [`${name}_${version}.dsc`]: sha256.dsc,
    [`${name}_${upstream}.orig.tar.gz`]: sha256.orig,
    [`${name}_${version}.debian.tar.xz`]: sha256.debian,
  };
};

export const tools: Tool[] = [
  {
    kind: "go",
    name: "helm",
    ...helm4,
    binaries: [{ exe: "helm", pkg: "helm.sh/helm/v4/cmd/helm" }],
    ldflags: helm4Ldflags,
    versionArgs: ["version", "--template", "{{.Version}}"],
  },
  {
    kind: "go",
    name: "helm3",
    ...helm3,
    binaries: [{ exe: "helm3", pkg: "helm.sh/helm/v3/cmd/helm" }],
    ldflags: helm3Ldflags,
    versionArgs: ["version", "--template", "{{.Version}}"],
  },
  // Our renderers: many values files through Helm's own engine in one process (validate's fleet speed), built
  // against the same Helm modules and flags as the helm binaries above, so their renderings are Helm's.
  {
    kind: "go",
    name: "helm-render",
    ...helm4,
    source: ["tools/helm-render/main.go", "tools/helm-render/helm4.go"],
    binaries: [{ exe: "helm-render", pkg: "." }],
    ldflags: helm4Ldflags,
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "helm3-render",
    ...helm3,
    source: ["tools/helm-render/main.go", "tools/helm-render/helm3.go"],
    binaries: [{ exe: "helm3-render", pkg: "." }],
    ldflags: helm3Ldflags,
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "kubeconform",
    ...kubeconform,
    go: "1.24",
    binaries: [{ exe: "kubeconform", pkg: "github.com/yannh/kubeconform/cmd/kubeconform" }],
    ldflags: [`-X main.version=${kubeconform.version}`],
    versionArgs: ["-v"],
  },
  {
    kind: "go",
    name: "chart-testing",
    ...chartTesting,
    go: "1.24.0",
    binaries: [{ exe: "ct", pkg: "github.com/helm/chart-testing/v3/ct" }],
    ldflags: [`-X github.com/helm/chart-testing/v3/ct/cmd.Version=${chartTesting.version}`],
    versionArgs: ["version"],
    // `go install` leaves out the config files ct looks for; they ship in the module.
    moduleFiles: ["etc/chart_schema.yaml", "etc/lintconf.yaml"],
  },
  {
    kind: "pypi",
    name: "chart-testing-python",
    version: `yamllint-${chartTestingPackages.yamllint}-yamale-${chartTestingPackages.yamale}`,
    packages: chartTestingPackages,
    binaries: [{ exe: "yamllint" }, { exe: "yamale" }],
  },
  {
    kind: "go",
    name: "kyverno",
    ...kyverno,
    binaries: [{ exe: "kyverno", pkg: "github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno" }],
    ldflags: kyvernoLdflags,
    versionArgs: ["version"],
  },
  // Our Kyverno for validate's shared runs: upstream's command line with each policy's autogen rules computed once.
  {
    kind: "go",
    name: "kyverno-apply",
    ...kyverno,
    source: ["tools/kyverno-apply/main.go"],
    binaries: [{ exe: "kyverno-apply", pkg: "." }],
    ldflags: kyvernoLdflags,
    versionArgs: ["version"],
    buildAfter: "kyverno",
  },
  {
    kind: "go",
    name: "kwok",
    module: "sigs.k8s.io/kwok",
    version: "v0.8.0",
    go: "1.26.0",
    binaries: [
      { exe: "kwok", pkg: "sigs.k8s.io/kwok/cmd/kwok" },
      { exe: "kwokctl", pkg: "sigs.k8s.io/kwok/cmd/kwokctl" },
    ],
    versionArgs: ["--version"],
    // The kwok controller embeds no stages; these (the ones kwokctl uses) make nodes Ready and pods Running.
    moduleFiles: [
      "kustomize/stage/node/fast/node-initialize.yaml",
      "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
      "kustomize/stage/pod/fast/pod-ready.yaml",
      "kustomize/stage/pod/fast/pod-complete.yaml",
      "kustomize/stage/pod/fast/pod-delete.yaml",
    ],
  },
  {
    kind: "go",
    name: "etcd",
    module: "go.etcd.io/etcd/server/v3",
    version: "v3.6.16",
    go: "1.25.0",
    binaries: [{ exe: "etcd", pkg: "go.etcd.io/etcd/server/v3" }],
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "netpol-analyzer",
    module: "github.com/np-guard/netpol-analyzer",
    version: "v1.4.4",
    go: "1.23.0",
    // The public sum database has no record of np-guard's own modules; the proxy's copies are trusted as served.
    noSumDb: ["github.com/np-guard"],
    binaries: [{ exe: "k8snetpolicy", pkg: "github.com/np-guard/netpol-analyzer/cmd/netpolicy" }],
    // It has no version flag: its version is read from the build information Go stamps into the binary.
    versionArgs: [],
  },
  {
    // The CNCF distribution registry: a real OCI registry on a loopback port, which `publish` is tested against.
    kind: "go",
    name: "distribution",
    ...distribution,
    go: "1.26.0",
    binaries: [{ exe: "registry", pkg: "github.com/distribution/distribution/v3/cmd/registry" }],
    ldflags: [`-X github.com/distribution/distribution/v3/version.version=${distribution.version}`],
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "kubernetes",
    module: "k8s.io/kubernetes",
    version: kubernetes.controlPlane,
    go: "1.25.0",
    godebug: "default=go1.25",
    replaceStaging: `v0.${kubernetes.controlPlane.slice(3)}`,
    binaries: [
      ...["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((exe) => ({
        exe,
        pkg: `k8s.io/kubernetes/cmd/${exe}`,
      })),
      { exe: "kubectl", pkg: "k8s.io/kubernetes/cmd/kubectl", versionArgs: ["version", "--client"] },
    ],
    ldflags: k8sVersionFlags(kubernetes.controlPlane),
    versionArgs: ["--version"],
  },
  {
    // The real node's components, from the same module, replaces and flags as the control plane; a tool of its own,
    // so that adding node binaries never rebuilds the control plane.
    kind: "go",
    name: "kubernetes-node",
    module: "k8s.io/kubernetes",
    version: kubernetes.controlPlane,
    go: "1.25.0",
    godebug: "default=go1.25",
    replaceStaging: `v0.${kubernetes.controlPlane.slice(3)}`,
    binaries: ["kubelet", "kube-proxy"].map((exe) => ({ exe, pkg: `k8s.io/kubernetes/cmd/${exe}` })),
    ldflags: k8sVersionFlags(kubernetes.controlPlane),
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "cni-plugins",
    ...cniPlugins,
    go: "1.26.8",
    // The real node's pod network: a bridge with host-local addresses, loopback, and hostPort forwarding.
    binaries: ["main/bridge", "ipam/host-local", "main/loopback", "meta/portmap"].map((p) => ({
      exe: p.split("/")[1] as string,
      pkg: `github.com/containernetworking/plugins/plugins/${p}`,
    })),
    ldflags: [`-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=${cniPlugins.version}`],
    // A plugin prints its version only when asked through CNI_COMMAND; Go's build information names the module.
    versionArgs: [],
  },
  {
    kind: "go",
    name: "kube-router",
    // The only release the proxy lists; the real node runs its NetworkPolicy firewall alone.
    ...kubeRouter,
    go: "1.21",
    // Without upstream's require block, `go mod tidy` lifts grpc and otel to releases kube-router does not build with.
    upstreamRequires: true,
    binaries: [{ exe: "kube-router", pkg: "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router" }],
    ldflags: [`-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${kubeRouter.version}`],
    versionArgs: ["--version"],
  },
  {
    kind: "go",
    name: "coredns",
    module: "github.com/coredns/coredns",
    // Cluster DNS on the real node: pods find Services by name, as the charts' URLs assume.
    version: "v1.14.7",
    go: "1.25.0",
    binaries: [{ exe: "coredns", pkg: "github.com/coredns/coredns" }],
    versionArgs: ["-version"],
  },
  {
    kind: "go",
    name: "keda-http-interceptor",
    // The KEDA HTTP add-on's interceptor: the proxy that holds a tenant's requests while its premium Ollama is at zero.
    ...kedaHttpAddOn,
    go: "1.25.6",
    binaries: [{ exe: "interceptor", pkg: "github.com/kedacore/http-add-on/interceptor" }],
    ldflags: [`-X github.com/kedacore/http-add-on/pkg/build.version=${kedaHttpAddOn.version}`],
    // It has no version flag; Go's build information names the module and its version.
    versionArgs: [],
  },
  {
    // The resource metrics API (metrics.k8s.io) from the real node's kubelet: what standard Ollama's HPA reads.
    kind: "go",
    name: "metrics-server",
    ...metricsServer,
    go: "1.24.4",
    binaries: [{ exe: "metrics-server", pkg: "sigs.k8s.io/metrics-server/cmd/metrics-server" }],
    // Upstream's Makefile stamps client-go's version package; `--version` prints it.
    ldflags: [`-X k8s.io/client-go/pkg/version.gitVersion=${metricsServer.version}`],
    versionArgs: ["--version"],
  },
  {
    // KEDA's operator and its external metrics API server (external.metrics.k8s.io): premium Ollama's scaling.
    // v2.21.1 declares go 1.27.4, which this machine cannot get; v2.21.0 builds with Go 1.26. The admission
    // webhooks are left out: the operator patches them only where their configuration exists.
    kind: "go",
    name: "keda",
    ...keda,
    go: "1.26.0",
    // Upstream replaces a temporal dependency's unlicensed release with a later commit.
    upstreamReplaces: true,
    binaries: [
      { exe: "keda", pkg: "github.com/kedacore/keda/v2/cmd/operator" },
      { exe: "keda-adapter", pkg: "github.com/kedacore/keda/v2/cmd/adapter" },
    ],
    ldflags: [`-X github.com/kedacore/keda/v2/version.Version=${bare(keda.version)}`],
    // Neither binary has a version flag (each logs its version at start); Go's build information names the module.
    versionArgs: [],
  },
  {
    // Karpenter's core with its kwok cloud provider: the install suite's nodes, made from the nodepools chart's own
    // NodePools and the project's instance-type catalog. v1.15.0 (like v1.14.3) declares go 1.26.9, newer than this
    // machine's Go 1.26.8, so this one build runs Go 1.27.3, the newer release the proxy serves here.
    kind: "go",
    name: "karpenter",
    ...karpenter,
    go: "1.26.9",
    toolchain: "go1.27.3",
    binaries: [{ exe: "karpenter-kwok", pkg: "sigs.k8s.io/karpenter/kwok" }],
    // It has no version flag (it logs its version at start); Go's build information names the module.
    versionArgs: [],
  },
  {
    // External Secrets Operator's controller (the root command of its one binary; the webhook and cert controller
    // are left out): the install suite syncs tenants' secrets from moto through it. v0.16.2 is the last release that
    // serves external-secrets.io/v1beta1 beside v1, so stores written for either run unchanged.
    kind: "go",
    name: "external-secrets",
    ...externalSecrets,
    go: "1.24.2",
    // Upstream replaces sprig by its own fork; without its require block `go mod tidy` lifts the cloud SDKs.
    upstreamRequires: true,
    upstreamReplaces: true,
    binaries: [{ exe: "external-secrets", pkg: "github.com/external-secrets/external-secrets" }],
    // It has no version flag (the release's version is stamped into its image, not its binary); Go's build
    // information names the module.
    versionArgs: [],
  },
  {
    // Stakater Reloader: rolls a workload out when a Secret it names changes, so a secret rotated in Secrets Manager
    // (synced by External Secrets) reaches OpenWebUI, which reads its secrets from env at start. v1.4.22's go line
    // (1.26.8) is this machine's Go.
    kind: "go",
    name: "reloader",
    ...reloader,
    go: "1.26.8",
    // Upstream's replaces pin the k8s.io modules that argo-rollouts requires at v0.0.0; its require block keeps
    // `go mod tidy` from lifting what argo-rollouts and the OpenShift clients share with it.
    upstreamRequires: true,
    upstreamReplaces: true,
    replaces: {
      // The proxy refuses the OpenShift API commit upstream requires (403, "not available"); this is the one the
      // pinned OpenShift client-go itself requires, a week older. Reloader reads only DeploymentConfigs from it, and
      // only on OpenShift.
      "github.com/openshift/api": "github.com/openshift/api v0.0.0-20260326111139-30c2ef7a272e",
    },
    binaries: [{ exe: "reloader", pkg: "github.com/stakater/Reloader" }],
    // Upstream's Dockerfile stamps the release's version (without the v) into pkg/common.
    ldflags: [`-X github.com/stakater/Reloader/pkg/common.Version=${bare(reloader.version)}`],
    // It has no version flag (it publishes its version in a ConfigMap); Go's build information names the module.
    versionArgs: [],
  },
  {
    // The monitoring stack the runtime suite runs, in one tools module so that the three binaries share one build of
    // their dependencies: the Prometheus Operator and its config reloader, and the Prometheus release the operator's
    // own go.mod requires (Debian's Prometheus is built without Kubernetes service discovery). Alertmanager's module
    // leaves out the web UI its binary embeds, so Alertmanager is Debian's (src/images/catalog.ts).
    kind: "go",
    name: "prometheus-stack",
    ...prometheusOperator,
    go: "1.26.0",
    upstreamRequires: true,
    upstreamReplaces: true,
    replaces: {
      // Upstream's directories, as the proxy publishes them; and Prometheus's own pin of the Google Cloud SDK.
      "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring": `${prometheusOperator.module}/pkg/apis/monitoring ${prometheusOperator.version}`,
      "github.com/prometheus-operator/prometheus-operator/pkg/client": `${prometheusOperator.module}/pkg/client ${prometheusOperator.version}`,
      "cloud.google.com/go": "cloud.google.com/go v0.123.0",
    },
    binaries: [
      { exe: "prometheus-operator", pkg: `${prometheusOperator.module}/cmd/operator` },
      { exe: "prometheus-config-reloader", pkg: `${prometheusOperator.module}/cmd/prometheus-config-reloader` },
      // Prometheus 3.13.1: the release the operator's go.mod requires.
      { exe: "prometheus", pkg: "github.com/prometheus/prometheus/cmd/prometheus", version: "v0.313.1" },
    ],
    // None is stamped with a version at build (upstream stamps at release); Go's build information names the modules.
    versionArgs: [],
  },
  {
    // The ingress controller the runtime suite routes users through (TLS, streamed answers, websockets, upload limits,
    // rate limits): pure Go and served by the proxy, unlike ingress-nginx (retired, and 403 here) or HAProxy's
    // controller (403). v3.7 requires a nested module the proxy does not serve; v3.6.12 is the newest that builds.
    kind: "go",
    name: "traefik",
    ...traefik,
    go: "1.25.0",
    // Upstream's require block keeps `go mod tidy` from lifting its ~400 dependencies; its three replaces are forks
    // the build needs.
    upstreamRequires: true,
    upstreamReplaces: true,
    binaries: [{ exe: "traefik", pkg: `${traefik.module}/cmd/traefik` }],
    // Upstream's release build stamps its version package; `traefik version` prints it.
    ldflags: [`-X github.com/traefik/traefik/v3/pkg/version.Version=${traefik.version}`],
    versionArgs: ["version"],
  },
  {
    // The cluster's objects as metrics (kube_pod_*, kube_job_*, kube_resourcequota): what most of the platform's
    // alerts and dashboards read, as kube-prometheus-stack runs it beside Prometheus.
    kind: "go",
    name: "kube-state-metrics",
    ...kubeStateMetrics,
    go: "1.26.0",
    binaries: [{ exe: "kube-state-metrics", pkg: kubeStateMetrics.module }],
    // Upstream's Makefile stamps Prometheus's common version package; its `version` command prints it.
    ldflags: [`-X github.com/prometheus/common/version.Version=${kubeStateMetrics.version}`],
    versionArgs: ["version"],
  },
  {
    // The platform's log pipeline (and the runtime suite's OTLP receiver on the host): the OpenTelemetry Collector with
    // only the components it runs, from a main of ours (tools/otelcol). Every collector module is at one release:
    // contrib v0.165.1 with the core's v0.165.0 and v1.71.0 it requires (the proxy does not serve pkg/stanza v0.161.0,
    // which the file_log receiver needs).
    kind: "go",
    name: "otelcol",
    module: "go.opentelemetry.io/collector/otelcol",
    version: otelcol.core,
    go: "1.26.0",
    upstreamRequires: true,
    requires: {
      ...Object.fromEntries(
        [
          "component",
          "confmap",
          "confmap/provider/envprovider",
          "confmap/provider/fileprovider",
          "exporter",
          "processor",
          "receiver",
        ].map((m) => [`go.opentelemetry.io/collector/${m}`, otelcol.stable]),
      ),
      ...Object.fromEntries(
        [
          "exporter/debugexporter",
          "exporter/otlphttpexporter",
          "processor/batchprocessor",
          "receiver/otlpreceiver",
          "service",
        ].map((m) => [`go.opentelemetry.io/collector/${m}`, otelcol.core]),
      ),
      ...Object.fromEntries(
        ["exporter/fileexporter", "processor/resourceprocessor", "receiver/filelogreceiver"].map((m) => [
          `github.com/open-telemetry/opentelemetry-collector-contrib/${m}`,
          otelcol.contrib,
        ]),
      ),
    },
    source: ["tools/otelcol/main.go"],
    binaries: [{ exe: "otelcol", pkg: "." }],
    ldflags: [`-X main.version=${otelcol.core}`],
    versionArgs: ["--version"],
  },
  {
    kind: "pypi",
    name: "moto",
    // AWS Secrets Manager, STS and IAM on a loopback port (moto's server): what External Secrets reads tenants'
    // secrets from in the install suite.
    version: moto["moto[server]"],
    packages: moto,
    binaries: [{ exe: "moto_server" }],
  },
  // The third-party auditors the audit suite runs on every rendered workload (test/audit): each platform workload's
  // findings must be ones the tenant's pods have too.
  {
    kind: "go",
    name: "kube-score",
    // The newest release the module proxy serves.
    ...kubeScore,
    go: "1.23.0",
    binaries: [{ exe: "kube-score", pkg: `${kubeScore.module}/cmd/kube-score` }],
    // Upstream's goreleaser stamps main.version; `kube-score version` prints it.
    ldflags: [`-X main.version=${kubeScore.version}`],
    versionArgs: ["version"],
  },
  {
    kind: "pypi",
    name: "checkov",
    // Bridgecrew's policy checks (the CKV_K8S_* ones), the auditor security reviews run most.
    version: checkov.checkov,
    packages: checkov,
    binaries: [{ exe: "checkov" }],
  },
  {
    kind: "go",
    name: "ollama",
    // v0.30+ fetch llama.cpp by git at build time (CMake ExternalProject), which cannot work offline; 0.24.0 builds.
    ...ollama,
    go: "1.26.0",
    binaries: [{ exe: "ollama", pkg: "github.com/ollama/ollama" }],
    ldflags: [
      `-X github.com/ollama/ollama/version.Version=${bare(ollama.version)}`,
      "-X github.com/ollama/ollama/server.mode=release",
    ],
    versionArgs: ["--version"],
    cgo: {
      debian: ["nlohmann-json3-dev", "libstb-dev"],
      pypiHeaders: { ...miniaudio, includeDir: `miniaudio-${miniaudio.version}` },
    },
  },
  {
    // Argo CD, one multi-call binary (the component is chosen by ARGOCD_BINARY_NAME): the install suite runs its
    // repo server, application controller and ApplicationSet controller against the embedded cluster.
    kind: "go",
    name: "argo-cd",
    ...argoCd,
    go: "1.26.3",
    upstreamRequires: true,
    upstreamReplaces: true,
    replaces: {
      // Upstream builds its own ./gitops-engine, a nested module the module zip leaves out; the proxy serves one
      // version of it, from the release-3.5 branch (that tree plus the kubectl panic guard of argo-cd#29484).
      "github.com/argoproj/argo-cd/gitops-engine":
        "github.com/argoproj/argo-cd/gitops-engine v0.0.0-20260914071520-c9c369efcc5b",
    },
    binaries: [{ exe: "argocd", pkg: "github.com/argoproj/argo-cd/v3/cmd" }],
    ldflags: [`-X github.com/argoproj/argo-cd/v3/common.version=${bare(argoCd.version)}`],
    versionArgs: ["version", "--client", "--short"],
  },
  {
    kind: "pypi",
    name: "model-maker",
    // Writes the tiny random-weight GGUF model the runtime suite serves (no weights from any hub).
    version: `gguf-${modelMakerPackages.gguf}`,
    packages: modelMakerPackages,
    binaries: [{ exe: "python" }],
  },
  ...debian({
    // The real node's runtime and its network tooling.
    containerd: ["1.6.20~ds1-1+deb12u3", "/usr/bin/containerd", "/usr/bin/ctr"],
    runc: ["1.1.5+ds1-1+deb12u1", "/usr/sbin/runc"],
    iptables: ["1.8.9-2", "/usr/sbin/iptables", "/usr/sbin/iptables-save"],
    ipset: ["7.17-1", "/usr/sbin/ipset"],
    conntrack: ["1:1.4.7-1+b2", "/usr/sbin/conntrack"],
    // Images built here, without a registry or a Docker engine.
    umoci: ["0.4.7+ds-3+b7", "/usr/bin/umoci"],
    skopeo: ["1.9.3+ds1-1+b10", "/usr/bin/skopeo"],
    "busybox-static": ["1:1.35.0-4+deb12u1+b1", "/bin/busybox"],
    debootstrap: ["1.0.128+nmu2+deb12u2", "/usr/sbin/debootstrap"],
    // Headers Ollama's cgo sources include.
    "nlohmann-json3-dev": ["3.11.2-2"],
    "libstb-dev": ["0.0~git20220908.8b5f1f3+ds-1"],
    // GnuPG signs chart archives (Helm provenance files) with the operator's key.
    gnupg: ["2.2.40-1.1+deb12u2", "/usr/bin/gpg"],
    // Host services standing where ElastiCache and Aurora (with pgvector, built from source) would be.
    "redis-server": ["5:7.0.15-1~deb12u10", "/usr/bin/redis-server"],
    // The server pgvector's tree copies (its postgres and initdb are run from that copy).
    "postgresql-15": ["15.20-0+deb12u1"],
    "postgresql-server-dev-15": ["15.20-0+deb12u1", "/usr/lib/postgresql/15/bin/pg_config"],
    // Unpacks (and checks) Debian source packages: pgvector below.
    "dpkg-dev": ["1.21.22", "/usr/bin/dpkg-source"],
    // promtool parses and unit-tests the platform chart's alerts and its dashboards' PromQL (validate).
    prometheus: ["2.42.0+ds-5+deb12u1", "/usr/bin/promtool"],
    // Serves the lab model registry's blobs where its redirect points (Ollama 0.24 pulls a blob only through a redirect).
    "nginx-light": ["1.22.1-9+deb12u12", "/usr/sbin/nginx"],
    // README.md's lab commands make the node's directories with sudo; the runtime suite runs them as written.
    sudo: ["1.9.13p3-1+deb12u4", "/usr/bin/sudo"],
  }),
  {
    kind: "pg-extension",
    // Not in bookworm(-backports): Debian trixie's source package, built against bookworm's PostgreSQL 15.
    ...pgvector,
    pool: "http://deb.debian.org/debian/pool/main/p/pgvector",
    files: debianSourceFiles(pgvector, {
      dsc: "a71780bf7ab9901094a3d9869c489b6e2bcb858a8c14a5fa52d159933e016308",
      orig: "867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0",
      debian: "6cb10bfdee32a093f0711a53d61f63657514d60058ff76a44ae2a4434f9c7ee5",
    }),
    server: { package: "postgresql-15", major: "15" },
    extension: "vector",
    binaries: [{ exe: "postgres" }, { exe: "initdb" }, { exe: "psql" }],
  },
];

/** Debian tool pins from `name: [version, ...installed executables]`. */
function debian(pins: Record<string, [string, ...string[]]>): DebianTool[] {
  return Object.entries(pins).map(([name, [version, ...paths]]) => ({
    kind: "debian",
    name,
    version,
    binaries: paths.map((path) => ({ exe: path.slice(path.lastIndexOf("/") + 1), path })),
  }));
}

/** Upstream CRDs, read from the pinned Go modules that ship them and converted to kubeconform schemas. */
export interface CrdSource {
  name: string;
  module: string;
  version: string;
  /** CRD YAML files inside the module. */
  files: string[];
}

const inDir = (dir: string, names: string[]) => names.map((n) => `${dir}/${n}.yaml`);

export const crdSources: CrdSource[] = [
  {
    name: "karpenter",
    module: "github.com/aws/karpenter-provider-aws",
    // v1.14.2+ declare go >= 1.26.9, newer than this machine's Go; v1.14.1 has the same v1 APIs.
    version: "v1.14.1",
    files: inDir("pkg/apis/crds", [
      "karpenter.sh_nodepools",
      "karpenter.sh_nodeclaims",
      // The nodepools chart's MIG pools' NodeOverlays (karpenter.sh/v1alpha1), as AWS's provider serves them.
      "karpenter.sh_nodeoverlays",
      "karpenter.k8s.aws_ec2nodeclasses",
    ]),
  },
  {
    // Karpenter's own CRDs as its kwok provider serves them (the install suite applies these, not the AWS provider's),
    // and the KWOKNodeClass, whose default Ready condition is what makes a NodePool that refers to it Ready. The
    // module zip leaves out kwok/charts/crds' symbolic link to the KWOKNodeClass, so that one is read where it lives.
    name: "karpenter-kwok",
    ...karpenter,
    files: [
      ...inDir("kwok/charts/crds", ["karpenter.sh_nodepools", "karpenter.sh_nodeclaims", "karpenter.sh_nodeoverlays"]),
      ...inDir("kwok/apis/crds", ["karpenter.kwok.sh_kwoknodeclasses"]),
    ],
  },
  {
    name: "keda",
    ...keda,
    // Every CRD the operator watches: its manager does not start while one of its kinds is missing.
    files: inDir("config/crd/bases", [
      "keda.sh_scaledobjects",
      "keda.sh_scaledjobs",
      "keda.sh_triggerauthentications",
      "keda.sh_clustertriggerauthentications",
      "eventing.keda.sh_cloudeventsources",
      "eventing.keda.sh_clustercloudeventsources",
    ]),
  },
  {
    // The HTTP add-on's routes, read by the tenant's request-holding interceptor (its Go pin above).
    name: "keda-http-add-on",
    ...kedaHttpAddOn,
    files: inDir("config/crd/bases", ["http.keda.sh_interceptorroutes", "http.keda.sh_httpscaledobjects"]),
  },
  {
    // The release the cluster's controller runs (the kinds the tenant chart renders, in the API versions it serves).
    name: "external-secrets",
    ...externalSecrets,
    files: inDir(
      "config/crds/bases",
      ["externalsecrets", "secretstores", "clustersecretstores", "clusterexternalsecrets", "pushsecrets"].map(
        (k) => `external-secrets.io_${k}`,
      ),
    ),
  },
  {
    name: "prometheus-operator",
    ...prometheusOperator,
    files: inDir(
      "example/prometheus-operator-crd",
      ["servicemonitors", "podmonitors", "prometheusrules", "probes", "scrapeconfigs", "alertmanagerconfigs"].map(
        (k) => `monitoring.coreos.com_${k}`,
      ),
    ),
  },
  {
    name: "kyverno",
    module: kyverno.module,
    version: kyverno.version,
    files: inDir(
      "config/crds/kyverno",
      ["clusterpolicies", "policies", "policyexceptions", "cleanuppolicies", "clustercleanuppolicies"].map(
        (k) => `kyverno.io_${k}`,
      ),
    ),
  },
  {
    // The Middleware the tenant chart renders for Traefik (exposure.ingress.controller traefik).
    name: "traefik",
    ...traefik,
    files: inDir("docs/content/reference/dynamic-configuration", ["traefik.io_middlewares"]),
  },
  {
    name: "gateway-api",
    module: "sigs.k8s.io/gateway-api",
    version: "v1.6.3",
    files: inDir("config/crd/standard", ["gateway.networking.k8s.io_httproutes", "gateway.networking.k8s.io_gateways"]),
  },
  {
    // VolumeSnapshotClass (platform backup); the CRDs live in the client module, which ships them under config/crd.
    name: "external-snapshotter",
    module: "github.com/kubernetes-csi/external-snapshotter/client/v8",
    version: "v8.7.0",
    files: inDir(
      "config/crd",
      ["volumesnapshotclasses", "volumesnapshots", "volumesnapshotcontents"].map((k) => `snapshot.storage.k8s.io_${k}`),
    ),
  },
  {
    name: "argo-cd",
    ...argoCd,
    files: inDir("manifests/crds", ["application-crd", "applicationset-crd", "appproject-crd"]),
  },
];

/** Kubernetes minors whose OpenAPI becomes kubeconform schemas (from `k8s.io/kubernetes`' swagger.json). */
export const kubernetesSchemaVersions = [kubernetes.oldestSupported, kubernetes.newestSupported];

/** The Debian system images built here start from (debootstrap from Debian's own mirror). */
export const debianImageBase = {
  suite: "bookworm",
  variant: "minbase",
  mirror: "http://deb.debian.org/debian",
} as const;

/**
 * OpenWebUI as the runtime suite runs it: the PyPI release with the `postgres` extra, in a venv of Debian's Python.
 * Left out: the packages that only pull PyTorch (with CUDA, 5 GB), used for local embeddings and reranking, which the
 * tenant chart turns off (embeddings go through the tenant's own Ollama).
 * Added: the OpenTelemetry SDK, exporters and instrumentations OpenWebUI imports when `ENABLE_OTEL` is on
 * (open_webui/utils/telemetry), which its Docker image installs but its PyPI release does not declare. One
 * instrumentation release for all (0.66b1: aiohttp-client has no 0.66b2), with the SDK release it requires.
 */
export const openwebuiRelease = {
  package: "open-webui",
  version: "0.12.4",
  extras: ["postgres"],
  leaveOut: ["accelerate", "sentence-transformers"],
  telemetry: [
    ...["api", "sdk", "exporter-otlp-proto-grpc", "exporter-otlp-proto-http"].map((p) => `opentelemetry-${p}==1.45.1`),
    ...["aiohttp-client", "fastapi", "httpx", "logging", "redis", "requests", "sqlalchemy", "system-metrics"].map(
      (p) => `opentelemetry-instrumentation-${p}==0.66b1`,
    ),
  ],
} as const;
