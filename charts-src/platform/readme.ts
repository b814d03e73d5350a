import { platformNamespace, priorityClasses } from "../lib/conventions.js";
import type { TroubleshootingEntry } from "../lib/engine/index.js";
/**
 * README sections after the parameter table: tenants through Argo CD, policy settings, GPU metrics, synthetic checks,
 * backup, upgrading.
 */
export const platformReadme = `
## Tenants through Argo CD

With \`argocd.enabled\` the chart renders one ApplicationSet that makes one Application (one release of the tenant
chart, in \`tenant-<name>\`) per tenant.

- **Where tenants come from.** By default (\`argocd.tenantsFrom: files\`) a git files generator reads the fleet folder
  \`argocd.fleet.files\` (\`tenants/*/values.yaml\`) in \`argocd.fleet.repoURL\`: each file is that tenant's values
  file for the tenant chart, the one \`llmcharts validate --chart tenant --fleet tenants/\` checks, and is handed to Helm
  unchanged through a \`$values\` ref source. Each file must set \`tenant.name\`. Adding, changing or removing a tenant
  is a merge in the fleet repository. Argo CD's default globbing lets \`*\` cross folders, so every \`values.yaml\`
  below \`tenants/\` is a tenant, at any depth (\`--enable-new-git-file-globbing\` on the ApplicationSet controller
  makes \`*\` one folder); \`validate --fleet tenants/\` reads every YAML file below the folder but the site layer
  (below), so it checks at least what Argo CD deploys. A file Argo CD cannot read or template stops the whole ApplicationSet, not just
  that tenant, so run \`validate --fleet\` in the fleet repository's CI. For a few tenants, \`tenantsFrom: list\` takes
  them from \`tenants\` in these values (Argo CD flags two elements with the same name; the schema cannot).
- **The site layer.** What every tenant of the cluster shares (the API server's ranges in \`network.apiServer\`, the
  ingress and monitoring namespaces, an image mirror, the storage class, the model cache's \`volumeHandle\`) goes once
  in \`argocd.fleet.siteValues\` (\`tenants/site.yaml\`), a values file of the fleet repository, instead of in every
  tenant's file. Each Application hands Helm that file first and the tenant's file after it
  (\`valueFiles: [$values/tenants/site.yaml, $values/<tenant file>]\`), so Helm merges them as \`-f site.yaml -f
  tenants/acme/values.yaml\`: maps merge key by key, and where both set a key the tenant's file wins (a list is replaced
  whole, not appended to). The generator never takes the site file for a tenant, even where \`argocd.fleet.files\`
  matches it. \`tenant\` stays in each tenant's file: the generator reads the Application's name and its tier and
  cost-centre labels from that file alone. A fleet without the file renders without the layer (\`ignoreMissingValueFiles\`), so check that it sits
  where \`siteValues\` says; empty turns the layer off. \`llmcharts validate --chart tenant --fleet tenants/\` merges
  \`tenants/site.yaml\` the same way under every tenant's file (\`--site FILE\` for another place or name), checks the site
  file's own keys once, and reports a bad one on the site file, naming the key.
- **Which chart.** \`argocd.repoURL\` is a git repository (the chart at \`argocd.path\`) or an OCI registry path
  (\`oci://host/path\`, as given to \`llmcharts publish --registry\`; the source is \`<repoURL>/<chart>\` at \`.\`, Argo
  CD's native OCI support). \`argocd.targetRevision\` pins it: a tag or commit, or the exact chart version for OCI.
  It has no default, and main, master and HEAD are refused: a fleet moves to a new tenant chart only when this value
  changes.
- **Waves.** \`argocd.rollout.canary\` lists tenants that take every change first. The ApplicationSet then uses Argo CD's
  RollingSync: the canaries, and once each is Healthy, everyone else, \`argocd.rollout.maxUpdate\` at a time. This
  needs the ApplicationSet controller started with \`--enable-progressive-syncs\` (it then turns auto-sync off and syncs
  step by step); without it every tenant syncs at once, as before.
- **The tenant namespace.** The tenant chart's own Namespace is the one Argo CD applies. The Applications set neither
  \`CreateNamespace=true\` nor \`managedNamespaceMetadata\`: Argo CD creates a Namespace that is part of the
  manifests first, before its dry run, and a Namespace in the manifests overwrites managed metadata anyway. Its labels
  (tenant, tier, cost centre, Pod Security) come from the tenant's values, as with \`helm install\`. It is annotated
  \`Prune=false,Delete=false\`, so dropping a tenant from the fleet deletes its Application but keeps its namespace,
  claims and secrets.
- **The project.** Tenant releases create two cluster-scoped objects: their Namespace and their PersistentVolume onto
  the model cache (\`llmcharts-model-cache-<name>\`). Argo CD's \`default\` project allows both. With
  \`argocd.createProject\` and a project name of your own, the chart renders an AppProject that allows only those:
  sources are the tenant chart and the fleet repository, destinations are \`tenant-*\` on \`argocd.destinationServer\`,
  and the only cluster-scoped kinds are Namespaces \`tenant-*\` and PersistentVolumes \`llmcharts-model-cache-*\`.
## The model catalog

\`modelCache.models\` lists what the pull Jobs fill the shared cache with, one Job per model, each into its tier's
catalog (\`standard/\` or \`premium/\`). A tenant's Ollama mounts only its own tier's catalog, so a model must be
listed under every tier that serves it:

- each tier's chat model (\`ollama.standard.model\`, \`ollama.premium.model\` in the tenant's values) under that tier;
- the embedding model of document search (\`openwebui.rag.embeddingModel\`) under the tier whose Ollama computes
  the embeddings: standard for standard and both tenants, premium for premium-only tenants. An embedding model is
  small (nomic-embed-text is under 1 GiB), so the default catalog lists it under both tiers rather than leaving
  document search broken for one kind of tenant.

The default catalog holds every model the tenant chart's defaults and README examples name. \`llmcharts validate
--chart tenant --fleet tenants/ --platform platform-values.yaml\` reports each tenant model missing from your
catalog, naming the file, the key and the model: a tenant whose model is missing never becomes Ready (its Ollama's
readiness probe waits for the model), or cannot search its documents. The pull Jobs run the tenant chart's Ollama
version by default (\`modelCache.image\`): keep the two on one version.

### A private model registry

With \`modelCache.mirror.registry\` set, the pull Jobs pull every catalog model from your own registry instead of
Ollama's, as \`<registry>/library/<name>:<tag>\`, and save it under its catalog name, the name tenants use. Put a
model there with Ollama itself: \`ollama cp llama3.2:3b <registry>/library/llama3.2:3b\`, then \`ollama push
<registry>/library/llama3.2:3b\` (\`--insecure\` for plain HTTP, with \`mirror.insecure: true\`). Open the pull Jobs'
egress to it with \`modelCache.registryEgress\` (its addresses) and \`modelCache.registryPorts\`. Ollama 0.24
downloads a model's layers only through a redirect to another host, as registries on S3 or behind a CDN answer
(ollama/ollama#7244): a distribution registry on plain disk needs its \`redirect\` storage middleware and a file server
for its storage, whose port goes into \`registryPorts\` too. A pull that fails ends its Job's pod with one line, its
termination message: the model, the registry and Ollama's reason.

In a lab without EFS, \`modelCache.source: hostPath\` makes the pull Jobs fill a node directory
(\`modelCache.hostPath\`, owned by \`modelCache.uid\`), which the tenants read with the same source and directory.

## Policy settings

\`policies.allowedRegistries\`, \`policies.sharedNamespaces\` (DNS, monitoring, ingress controllers and Gateway data
planes, mesh control planes, KEDA) and \`policies.pools\` (the pools of each node tier) go into the Kyverno ClusterPolicies and
the native ValidatingAdmissionPolicies alike. Tenants without the premium tier may select only the pools listed under
\`standard\` (add a control pool there); premium and both tenants may select any pool, and their GPU pods must require
premium nodes. \`policies/<policy>-site/\` and \`policies/admission-site/\` are
\`kyverno test\` suites of the same policies with every setting changed (an ECR pull-through prefix, an Envoy Gateway
namespace, Linkerd, a control pool and the seed GPU pools).

## GPU metrics

\`monitoring.dcgmExporter\` scrapes the GPU operator's DCGM exporter (a ServiceMonitor, or a PodMonitor when the
exporter has no Service); turn it off if the GPU operator's own ServiceMonitor is on. It needs the Prometheus Operator
CRDs, like the PrometheusRule.

## Synthetic checks

\`monitoring.syntheticChecks\` creates one Prometheus Operator ScrapeConfig (\`monitoring.coreos.com/v1alpha1\`, in the
monitoring namespace) that probes every tenant, whether it is in \`tenants\` or deployed by the ApplicationSet from the
fleet folder: Prometheus discovers each tenant's OpenWebUI Service at run time by the tenant chart's labels
(\`app.kubernetes.io/component=openwebui\` and \`llmcharts.io/tenant\`, in the namespace \`tenant-<name>\` that label
names), and the blackbox exporter (install it in the monitoring namespace, e.g. the prometheus-blackbox-exporter chart)
asks \`http://openwebui.tenant-<name>.svc:80/health\` through that Service. A tenant whose pods are all gone fails its
probe rather than dropping out, and \`LLMTenantHealthCheckFailing\` fires when the probe keeps failing, with the tenant's
label. Prometheus must select ScrapeConfigs by \`monitoring.rules.labels\` (kube-prometheus-stack:
\`prometheus.prometheusSpec.scrapeConfigSelector\`, which matches its release label by default) and may list Services in
every namespace (kube-prometheus-stack's Prometheus may). The tenant's NetworkPolicy must admit the monitoring
namespace on OpenWebUI's port (the tenant chart's \`network.healthProber\`, on by default).

## Tenants' logs

With \`logs.enabled\` the chart runs an OpenTelemetry Collector on every node (a DaemonSet in the namespace
\`llmcharts-logs\`, which it creates) that ships the logs of tenants' pods, and of nothing else, to one destination:

- **What is read.** Only the files the kubelet writes for pods of \`tenant-*\` namespaces
  (\`tenant-*_<pod>_<uid>/<container>/*.log\` under \`logs.podLogsDir\`, the kubelet's \`/var/log/pods\` unless its
  \`podLogsDir\` says otherwise, mounted read-only); the collector's \`container\` parser
  reads the CRI format and names each line's namespace, pod and container from the file's path. Lines written before
  the collector started on a node are not sent.
- **The tenant label.** Every line carries the resource attribute \`tenant\`: its namespace without \`tenant-\`. A
  line's tenant comes from the path the kubelet chose, never from what the pod wrote, so one tenant cannot label its
  lines as another's. Give each tenant access to its own lines in the destination by this attribute (in Loki 3, which
  keeps \`k8s.namespace.name\` as an index label by default, by that label or by \`tenant\` made an index label).
- **Where they go.** \`logs.endpoint\` is the base URL of an OTLP/HTTP receiver; the collector posts to
  \`<endpoint>/v1/logs\`. Loki 3 takes OTLP at \`/otlp\` (it serves \`/otlp/v1/logs\`), so one exporter covers Loki's
  push API and any OTLP endpoint: \`http://<loki-gateway>/otlp\`. Headers (\`Authorization\`, Loki's
  \`X-Scope-OrgID\`) are read from keys of the Secret \`logs.headersSecret\`, which you create in \`llmcharts-logs\`.
- **The network.** The collector may reach cluster DNS and \`logs.egress.cidr\` on \`logs.egress.port\` (the port
  the destination's pods listen on, for one inside the cluster), and nothing reaches it.
- **When the destination is down.** The collector retries for five minutes with the lines queued in memory, then drops
  them. A tenant's pods never wait on it: the kubelet writes their logs whatever the collector does.
- **Why root.** The kubelet writes the log files as root, mode 0640: the collector runs as uid 0 with every capability
  dropped, so it reads what root owns and cannot bypass a file's permissions; a read-only root filesystem, no privilege
  escalation. A hostPath volume is beyond the \`baseline\` Pod Security level, so its namespace enforces \`privileged\`
  and holds nothing else.
- **The image.** The default is upstream's contrib distribution of the release llmcharts builds the collector from
  (v0.165); \`llmcharts images build otelcol\` makes the same components (file log, resource, batch, OTLP/HTTP) from
  the pinned modules for a lab.
- **Traces.** A tenant's OpenWebUI exports its traces itself (the tenant chart's \`openwebui.telemetry\`, OTLP/gRPC to a
  Service in its monitoring namespace), labelled with the same tenant in \`OTEL_RESOURCE_ATTRIBUTES\`. To keep logs and
  traces in one place, point both at one OTLP receiver: for example a gateway collector in the monitoring namespace
  (\`openwebui.telemetry.host\` its Service, port 4317) that forwards to the same backend as \`logs.endpoint\` (its
  OTLP/HTTP port 4318).

## Backup and restore

\`storage.snapshots\` creates a VolumeSnapshotClass for the EBS CSI driver; it needs the external-snapshotter CRDs and its
snapshot controller (the EKS add-on \`snapshot-controller\`). With \`schedule.enabled\`, each tenant keeps the last seven
days: one CronJob per weekday replaces that day's snapshot \`openwebui-data-<weekday>\`. Who runs them:

- With \`argocd.enabled\`, every tenant the ApplicationSet delivers, from the fleet folder or from \`tenants\`, gets the
  tenant chart's \`backup\` set from this schedule (class, hour, minute, kubectl image), and its release runs its own
  CronJobs \`tenant-snapshots-<weekday>\` in its namespace: a tenant added to the folder is backed up by the sync that
  creates it. Their ServiceAccount's Role there allows get, create and delete of VolumeSnapshots and nothing else; a
  NetworkPolicy lets their pods reach the API server (the tenant's \`network.apiServer\`). The kubectl image's registry
  must be in \`policies.allowedRegistries\` (\`registry.k8s.io/\` is by default). Not Jobs that find the tenants at run
  time: those would need to create and delete VolumeSnapshots in every namespace of the cluster.
- Without it (the platform delivers no tenant), the platform's own CronJobs snapshot every tenant in \`tenants\`, as a
  ServiceAccount whose Roles (one per listed tenant namespace) allow the same and nothing else; the tenants'
  namespaces must exist before the schedule is enabled. A tenant installed by hand can instead set the tenant chart's
  \`backup.enabled\` itself (not both: they would race on the same snapshots).

Either way the snapshots are not Helm's objects: uninstalling a chart leaves them in the tenant's namespace, which the
tenant chart keeps; deleting the namespace deletes them (and, with \`deletionPolicy: Delete\`, their EBS snapshots).
Claims on EFS (several OpenWebUI replicas) have no CSI snapshots, and the tenant chart renders no rotation for them:
back them up with AWS Backup. (Velero would add cross-region copies and whole-namespace restores, at the price of
another controller and an object store; snapshots of the data claim cover the platform's one stateful volume.)

To check a tenant's rotation now, as the schedule would: \`kubectl -n tenant-<name> create job --from=cronjob/tenant-snapshots-<weekday> snapshot-now\`.

To restore a tenant's data from a snapshot:

1. Scale its OpenWebUI to zero (\`kubectl -n tenant-<name> scale deployment openwebui --replicas=0\`; with Argo CD,
   pause its Application's auto-sync first).
2. Check the snapshot is ready: \`kubectl -n tenant-<name> get volumesnapshot openwebui-data-<weekday>\` (READYTOUSE true).
3. Delete the claim \`openwebui-data\` (the chart keeps it on uninstall, so delete it by hand) and create it again with the
   same name, size and storage class, and \`spec.dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot,
   name: openwebui-data-<weekday>}\`.
4. Scale OpenWebUI back (or resume the sync); the new volume holds the data of the snapshot's time.

## Upgrading from 0.1.x

- The policies' settings are values under \`policies\`; their defaults are 0.1.x's. The policies' text changes (lists are
  now JSON), so Kyverno and the API server reload them.
- The pull Jobs' names now hash their resources, proxy and placement too: every pull Job is renamed once, and reruns (it
  finds its model present and only checks the manifest). Pulls now have a CPU limit (2 by default).
- \`gpuSharing.migStrategy\` defaults to \`mixed\` (resources \`nvidia.com/mig-<profile>\`, what MIG pools' pods ask for);
  set \`single\` to keep 0.1.x's behaviour. The device-plugin ConfigMap gains \`time-slicing-2\` to \`time-slicing-4\`.
- New: the DCGM exporter ServiceMonitor (on by default), the \`LLMNodesDrainedByInterruption\` alert, the "CPU per Ollama
  pod" panel, an io2 StorageClass, EBS snapshots and synthetic checks (off by default).

## As a dependency of an umbrella chart

The chart can be a dependency of a site's own chart: \`enabled\` is accepted for the dependency's
\`condition: platform.enabled\`, and \`global.imageRegistry\` (a mirror or an ECR pull-through cache, host[:port][/path])
replaces the registry of every image the chart runs (the model pull Jobs', the snapshot CronJobs'):
\`registry.k8s.io/kubectl\` becomes \`<imageRegistry>/kubectl\`; \`global.imagePullSecrets\` (Secret names, e.g. the
mirror's credentials) are named by every pod of the chart. Any other \`global\` key is refused rather than
silently ignored.
`;

/** The platform's first failures: what the operator sees, the command that shows why, the fix. */
export const platformTroubleshooting: TroubleshootingEntry[] = [
  {
    failure: "Pods stay Pending",
    symptom: `The model pull Jobs' pods (\`kubectl -n ${platformNamespace} get pods\`) or tenant pods stay \`Pending\`.`,
    commands: [
      `kubectl -n ${platformNamespace} describe pod <pod>   # the scheduler's reason, under Events`,
      `kubectl -n ${platformNamespace} get pvc`,
      "kubectl get priorityclasses",
    ],
    fix:
      "A claim `Pending`: the model cache needs the AWS EFS CSI driver and `modelCache.fileSystemId` and " +
      '`modelCache.accessPointId` of an existing file system. "no PriorityClass with name …" on tenant pods: ' +
      `this chart is not installed, or \`priorityClasses\` was changed; it creates \`${priorityClasses.standard}\`, ` +
      `\`${priorityClasses.premium}\` and \`${priorityClasses.platformCritical}\`. No node matches: see the nodepools ` +
      "chart's Troubleshooting.",
  },
  {
    failure: "A model is missing from the catalog",
    symptom:
      "A tenant's model picker lacks its tier's model, or a chat fails with \"model '<model>' not found\": a tenant's " +
      "Ollama reads only its tier's catalog, which only this chart's pull Jobs fill.",
    commands: [
      "npx llmcharts validate --chart tenant --fleet tenants/ --platform platform-values.yaml",
      `kubectl -n ${platformNamespace} get jobs`,
      `kubectl -n ${platformNamespace} logs job/<job>`,
    ],
    fix:
      "`validate` names each tenant key whose model is missing from that tier's part of `modelCache.models`: list " +
      'the model under every tier that serves it (see "The model catalog") and upgrade the release; one pull Job ' +
      "per model fills the cache. A failed Job's log says why (the registry unreachable from the cluster: " +
      "`modelCache.httpsProxy`, `modelCache.registryEgress`; the model's name or tag wrong).",
  },
  {
    failure: "Kyverno refuses an object",
    symptom:
      'A tenant\'s `helm install` fails with `admission webhook "validate.kyverno.svc-fail" denied the request` ' +
      "(or a ValidatingAdmissionPolicy's message), or a tenant Deployment has no pods; the message names the policy " +
      "and the rule.",
    commands: [
      "kubectl -n tenant-<name> get events --field-selector reason=FailedCreate",
      "kubectl get clusterpolicies,validatingadmissionpolicies",
      "kubectl -n tenant-<name> get policyreports",
    ],
    fix:
      "Change the value the rule names. An image from a registry not in `policies.allowedRegistries`: add its " +
      "prefix there (a mirror, `localhost/…` on a lab). A tenant NetworkPolicy to a namespace not in " +
      "`policies.sharedNamespaces`: list it there. A pod of a standard tenant selecting a pool not in " +
      "`policies.pools.standard`: list the pool there. Kyverno not installed yet: `policies.kyverno.enabled: false` " +
      "keeps only the API server's own policies.",
  },
];
