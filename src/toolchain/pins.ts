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
  /** `godebug` line copied from upstream, so GODEBUG defaults match upstream's builds. */
  godebug?: string;
  /** Replace directives upstream needs (Go ignores a dependency's replaces, so the tools module repeats them). */
  replaces?: Record<string, string>;
  /** Replace every `./staging/src/k8s.io/*` module of upstream's go.mod with its published `v0.x.y` tag. */
  replaceStaging?: string;
  /** Modules whose checksums the public sum database does not serve here (verified against the proxy's go.sum instead). */
  noSumDb?: string[];
  /** Each binary, and the arguments that make it print its version when they differ from the tool's. */
  binaries: { exe: string; pkg: string; versionArgs?: string[] }[];
  ldflags?: string[];
  /**
   * Arguments that make a binary print its version; the output must contain the pinned version (without a leading
   * v). Empty: read the module version from the binary's Go build information (`go version -m`).
   */
  versionArgs: string[];
  /** Files copied from the downloaded module into the tool's directory (chart-testing's config files). */
  moduleFiles?: string[];
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
 * A tool from a Debian package, installed with apt-get into the system (it has no cache directory of its own); its
 * binaries live in /usr/bin and the installed package reports the pin (`dpkg-query`).
 */
export interface DebianTool {
  kind: "debian";
  name: string;
  /** The Debian package version (what `dpkg-query -W` reports). */
  version: string;
  /** Debian package → exact version. */
  packages: Record<string, string>;
  binaries: { exe: string }[];
}

export type Tool = GoTool | PyTool | DebianTool;

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

export const tools: Tool[] = [
  {
    kind: "go",
    name: "helm",
    module: "helm.sh/helm/v4",
    version: "v4.2.4",
    go: "1.26.0",
    binaries: [{ exe: "helm", pkg: "helm.sh/helm/v4/cmd/helm" }],
    ldflags: [
      "-X helm.sh/helm/v4/internal/version.version=v4.2.4",
      "-X helm.sh/helm/v4/internal/version.gitTreeState=clean",
    ],
    versionArgs: ["version", "--template", "{{.Version}}"],
  },
  {
    kind: "go",
    name: "helm3",
    module: "helm.sh/helm/v3",
    version: "v3.21.4",
    go: "1.26.0",
    binaries: [{ exe: "helm3", pkg: "helm.sh/helm/v3/cmd/helm" }],
    ldflags: [
      "-X helm.sh/helm/v3/internal/version.version=v3.21.4",
      "-X helm.sh/helm/v3/internal/version.gitTreeState=clean",
      // Without these Helm 3 assumes Kubernetes 1.20 when no cluster is asked; set them from its client-go (0.36).
      ...["pkg/lint/rules", "pkg/chartutil"].flatMap((pkg) => [
        `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
        `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=36`,
      ]),
    ],
    versionArgs: ["version", "--template", "{{.Version}}"],
  },
  {
    kind: "go",
    name: "kubeconform",
    module: "github.com/yannh/kubeconform",
    version: "v0.7.0",
    go: "1.24",
    binaries: [{ exe: "kubeconform", pkg: "github.com/yannh/kubeconform/cmd/kubeconform" }],
    ldflags: ["-X main.version=v0.7.0"],
    versionArgs: ["-v"],
  },
  {
    kind: "go",
    name: "chart-testing",
    module: "github.com/helm/chart-testing/v3",
    version: "v3.14.0",
    go: "1.24.0",
    binaries: [{ exe: "ct", pkg: "github.com/helm/chart-testing/v3/ct" }],
    ldflags: ["-X github.com/helm/chart-testing/v3/ct/cmd.Version=v3.14.0"],
    versionArgs: ["version"],
    // `go install` leaves out the config files ct looks for; they ship in the module.
    moduleFiles: ["etc/chart_schema.yaml", "etc/lintconf.yaml"],
  },
  {
    kind: "pypi",
    name: "chart-testing-python",
    version: "yamllint-1.38.0-yamale-6.0.0",
    packages: { yamllint: "1.38.0", yamale: "6.0.0" },
    binaries: [{ exe: "yamllint" }, { exe: "yamale" }],
  },
  {
    kind: "go",
    name: "kyverno",
    module: "github.com/kyverno/kyverno",
    // 1.16.x: the proxy refuses 1.16.4+ and the sum database refuses 1.16.3, so the newest verifiable release.
    version: "v1.17.2",
    go: "1.25.9",
    replaces: {
      "k8s.io/pod-security-admission": "github.com/kyverno/pod-security-admission v0.0.0-20251031094455-46f20778634f",
    },
    binaries: [{ exe: "kyverno", pkg: "github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno" }],
    ldflags: ["-X github.com/kyverno/kyverno/pkg/version.BuildVersion=v1.17.2"],
    versionArgs: ["version"],
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
    module: "github.com/distribution/distribution/v3",
    version: "v3.1.2",
    go: "1.26.0",
    binaries: [{ exe: "registry", pkg: "github.com/distribution/distribution/v3/cmd/registry" }],
    ldflags: ["-X github.com/distribution/distribution/v3/version.version=v3.1.2"],
    versionArgs: ["--version"],
  },
  {
    // GnuPG signs chart archives (Helm provenance files) with the operator's key; Debian's build, as Helm expects.
    kind: "debian",
    name: "gnupg",
    version: "2.2.40-1.1+deb12u2",
    packages: { gnupg: "2.2.40-1.1+deb12u2" },
    binaries: [{ exe: "gpg" }],
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
];

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
      "karpenter.k8s.aws_ec2nodeclasses",
    ]),
  },
  {
    name: "keda",
    module: "github.com/kedacore/keda/v2",
    version: "v2.21.0",
    files: inDir("config/crd/bases", [
      "keda.sh_scaledobjects",
      "keda.sh_scaledjobs",
      "keda.sh_triggerauthentications",
      "keda.sh_clustertriggerauthentications",
    ]),
  },
  {
    name: "external-secrets",
    module: "github.com/external-secrets/external-secrets",
    version: "v1.3.2",
    files: inDir(
      "config/crds/bases",
      ["externalsecrets", "secretstores", "clustersecretstores", "clusterexternalsecrets", "pushsecrets"].map(
        (k) => `external-secrets.io_${k}`,
      ),
    ),
  },
  {
    name: "prometheus-operator",
    module: "github.com/prometheus-operator/prometheus-operator",
    version: "v0.93.0",
    files: inDir(
      "example/prometheus-operator-crd",
      ["servicemonitors", "podmonitors", "prometheusrules", "probes", "alertmanagerconfigs"].map(
        (k) => `monitoring.coreos.com_${k}`,
      ),
    ),
  },
  {
    name: "kyverno",
    module: "github.com/kyverno/kyverno",
    version: "v1.17.2",
    files: inDir(
      "config/crds/kyverno",
      ["clusterpolicies", "policies", "policyexceptions", "cleanuppolicies", "clustercleanuppolicies"].map(
        (k) => `kyverno.io_${k}`,
      ),
    ),
  },
  {
    name: "gateway-api",
    module: "sigs.k8s.io/gateway-api",
    version: "v1.6.3",
    files: inDir("config/crd/standard", ["gateway.networking.k8s.io_httproutes", "gateway.networking.k8s.io_gateways"]),
  },
  {
    name: "argo-cd",
    module: "github.com/argoproj/argo-cd/v3",
    version: "v3.5.7",
    files: inDir("manifests/crds", ["application-crd", "applicationset-crd", "appproject-crd"]),
  },
];

/** Kubernetes minors whose OpenAPI becomes kubeconform schemas (from `k8s.io/kubernetes`' swagger.json). */
export const kubernetesSchemaVersions = [kubernetes.oldestSupported, kubernetes.newestSupported];
