import { labels, platformNamespace, priorityClasses, tenantSecretPrefix } from "../lib/conventions.js";
import type { TroubleshootingEntry } from "../lib/engine/index.js";
import { standardPool } from "../lib/pools.js";
import { tenantObjectNames as names } from "../lib/tenant-namespace.js";
import { secretContract, tenantSecrets } from "./secrets.js";

/**
 * How to install what the Prerequisites name, at the versions the suites run (test/tenant/prerequisite-recipes.test.ts
 * holds them to the pins), and how to find the API server's addresses (run as written by the runtime suite).
 */
const prerequisiteRecipes = `## Installing the prerequisites

The controllers this chart's objects need, at the versions the charts are tested with, from each project's own Helm
chart or release files (the nodepools and platform charts come first, with their own READMEs):

*Not run by the tests: they download from the projects' Helm repositories and GitHub releases; the suites run the same versions, built from source (\`llmcharts cluster up --controllers\`).*

\`\`\`sh
helm repo add kedacore https://kedacore.github.io/charts
helm repo add external-secrets https://charts.external-secrets.io
helm install keda kedacore/keda --version 2.21.0 --namespace keda --create-namespace
helm install external-secrets external-secrets/external-secrets --version 0.16.2 \\
  --namespace external-secrets --create-namespace
kubectl apply --server-side -f https://raw.githubusercontent.com/kedacore/http-add-on/v0.15.0/config/crd/bases/http.keda.sh_interceptorroutes.yaml
kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.8.0/components.yaml
kubectl apply -f https://raw.githubusercontent.com/stakater/Reloader/v1.4.22/deployments/kubernetes/reloader.yaml
kubectl patch deployment reloader-reloader -n default --type json \\
  -p '[{"op": "add", "path": "/spec/template/spec/containers/0/args", "value": ["--reload-strategy=annotations"]}]'
\`\`\`

- Of the KEDA HTTP add-on, only its InterceptorRoute CRD: each tenant runs its own interceptor, so the add-on's
  operator, scaler and shared interceptor are not installed.
- metrics-server: k3s ships it, and minikube has it as an addon (\`minikube addons enable metrics-server\`). A kubelet
  whose serving certificate the cluster's CA did not sign (kind, most labs) needs metrics-server's
  \`--kubelet-insecure-tls\`.
- Reloader: upstream's manifest of the release, in namespace \`default\`, watching every namespace, patched to its
  \`annotations\` strategy (a changed Secret is written in a pod-template annotation, which rolls the workload out):
  its default adds an environment variable instead, which Argo CD's self-heal (the platform's ApplicationSet) undoes,
  rolling OpenWebUI out a second time. With its Helm chart (\`stakater/reloader\`), set
  \`reloader.reloadStrategy: annotations\`.
- The ServiceMonitor CRD comes with the Prometheus Operator, which the platform chart's monitoring needs too.

### The API server's addresses

The premium tier's wake-up proxy watches the API server, and the tenant's default-deny egress admits it only at
\`network.apiServer.cidrs\` and \`network.apiServer.ports\` (on EKS, the endpoint's network interfaces in the VPC). The
\`kubernetes\` Service's EndpointSlice lists both, on any cluster:

\`\`\`sh
kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes \\
  -o jsonpath='{range .items[*]}{.endpoints[*].addresses[*]} {.ports[*].port}{"\\n"}{end}'
\`\`\`

Give each address as \`<address>/32\` in \`network.apiServer.cidrs\`, and its port in \`network.apiServer.ports\`.

### The ingress controller

\`exposure.ingress.controller\` names the controller behind \`exposure.ingress.className\`, so that the chart speaks its
dialect; \`network.ingressNamespace\` (and the platform's \`policies.sharedNamespaces.ingress\`) names its namespace,
the only one the NetworkPolicies admit to OpenWebUI.
- **Traefik** (the runtime suite routes every lab user through v3.6.12): \`controller: traefik\`. The chart adds a
  buffering Middleware on OpenWebUI's upload paths alone, refusing a body over \`exposure.uploadLimitMiB\` with 413
  (buffering also holds the answer back, so never on the chat paths). Traefik's timeouts belong to its entry points:
  give the TLS one a read timeout of at least \`exposure.timeoutSeconds\`, since its default of 60 s cuts an upload
  slower than a minute (\`--entryPoints.websecure.transport.respondingTimeouts.readTimeout=3600s\`, or the
  \`ports.websecure.transport.respondingTimeouts.readTimeout\` value of its Helm chart).
- **ingress-nginx** (the default dialect, retired upstream in March 2026): annotations for the upload limit and the
  timeouts, streamed unbuffered.
- **Any other**: \`controller: other\`, and its own annotations in \`exposure.ingress.annotations\`.

### Rate limits per user

OpenWebUI (0.12.4) limits no one's requests itself, so the chart asks Traefik to: with
\`exposure.rateLimit.requestsPerMinute\` set (unset, the default: no limit), each user may send that many requests a
minute, on average, to OpenWebUI's inference paths (\`exposure.rateLimit.paths\`: the chat completions, the OpenAI- and
Anthropic-compatible APIs, embeddings, the \`/ollama\` and \`/openai\` proxies), and \`exposure.rateLimit.burst\` at
once. Past it Traefik answers \`429 Too Many Requests\` with \`Retry-After\` (whole seconds until the next request
passes) and \`X-Retry-In\`; the request never reaches OpenWebUI, let alone a model. A request that would pass within
half a second (Traefik's own margin) is held that long and served instead. Pages, static assets, health checks,
sign-in, uploads and OpenWebUI's helper tasks (titles, autocompletion) are never limited.
- **Per user** means per \`Authorization\` header, which OpenWebUI's web client and API clients send on every inference
  request (\`Bearer\` and a session's token or an \`sk-\` API key): colleagues behind one NAT never share a budget.
  A user with two sessions or two API keys has two budgets. A client that authenticates by the \`token\` cookie alone
  sends no such header: all such requests of the tenant share one budget, so the cookie is no way around the limit.
- **Per path and per Traefik replica**: each path prefix is a Traefik router of its own, and Traefik keeps a
  Middleware's budgets per router and in each replica's memory; with N replicas a user may get up to N times the limit.
- **Traefik only** (\`exposure.type: ingress\`, \`exposure.ingress.controller: traefik\`): the schema refuses a limit
  anywhere else rather than render one nothing enforces. ingress-nginx's own annotations (\`limit-rpm\`) count per
  client IP and refuse with 503 without saying when to retry; on a Gateway, the implementation's own policy
  (Traefik's Middleware through an \`ExtensionRef\` filter, say) is the operator's to attach.
`;

/**
 * README sections after the parameter table: the secrets a tenant needs, what several OpenWebUI replicas need from
 * Postgres, how premium wakes from zero, and the mesh.
 */
export const tenantReadme = `${secretContract()}
${prerequisiteRecipes}
## Several replicas: Postgres, pgvector, Redis

More than one OpenWebUI replica (\`openwebui.replicas\` > 1 or \`openwebui.autoscaling\`) needs Postgres
(\`database.type: postgres\`, its URL in the tenant's secret \`database-url\`), pgvector (\`vectorDb: pgvector\`), Redis
(\`redis.enabled\`, secret \`redis-url\`) and a ReadWriteMany data volume; the schema refuses anything less.

- **Migrations run once.** Every replica starts with an init container, \`migrations\`, that runs OpenWebUI's database
  migrations under a Postgres advisory lock: the first replica migrates, the others wait for it and find the schema
  current. OpenWebUI itself starts with \`ENABLE_DB_MIGRATIONS=false\`, so replicas started together no longer race on
  the same tables. An upgrade to a new OpenWebUI image migrates the same way, in its first new pod.
- **pgvector must exist in the database.** \`CREATE EXTENSION vector\` needs a privileged role (a superuser, or
  \`rds_superuser\` on Aurora and RDS), which the application's role should not be. Create it once, as that role, in the
  tenant's database: \`CREATE EXTENSION vector;\`. If it is missing and the tenant's role cannot create it, the
  \`migrations\` init container stops with a message saying so, and the pod waits in \`Init\` until the extension exists
  (restart the pod, or let its back-off retry).
- The database role needs to own the tenant's database (it creates and alters OpenWebUI's tables), and nothing more.
- **Tenants sharing one Redis** keep their keys apart (\`REDIS_KEY_PREFIX\` is \`open-webui:<tenant>\`), but not their
  socket.io messages: python-socketio publishes on fixed channel names (\`socketio\`, and \`socketio#<namespace>#<room>\`
  per room), which no setting of OpenWebUI 0.12 changes and Redis's databases do not separate. Messages go to rooms
  named by random ids, so no tenant's browser receives another's, but every tenant's OpenWebUI sees the shared
  channel's traffic. A tenant that must not share even that gets its own Redis (its own \`redis-url\`).

## Premium wakes from zero on its own requests

Premium Ollama scales to zero when idle (KEDA, \`ollama.premium.scaling\`). OpenWebUI reaches it through the tenant's
own wake-up proxy, the KEDA HTTP add-on's interceptor (\`ollama.premium.wake\`), which runs in the tenant namespace and
watches only it (a Role, no ClusterRole), so it can route to this tenant's premium Ollama and nothing else; premium
Ollama admits nothing but it. What reaches the proxy:

- a chat, a completion or an embedding (\`/api/chat\`, \`/api/generate\`, \`/api/embed\`, \`/api/embeddings\`, \`/v1\`): held while premium
  is at zero, for up to \`holdSeconds\` (then 504), and counted; KEDA's \`metrics-api\` trigger reads that count from
  every proxy pod (\`/queue\` on port 9090) and starts premium when it passes \`activationThreshold\`;
- a model list (\`/api/tags\`): answered at once with premium's model while it sleeps, so users can pick it;
- anything else: a 503 saying the model is asleep.

Page loads, static files, standard-tier chats and uptime checks never reach it, behind an Ingress or a Gateway alike.
Around it: KEDA 2.20 or later (\`aggregateFromKubeServiceEndpoints\`), with its operator in \`network.kedaNamespace\`
and allowed to list EndpointSlices; the add-on's CRDs (the proxy reads \`InterceptorRoute\`; the add-on's own
operator and scaler are not needed, and a cluster-wide interceptor of the add-on, if any, is refused by the
NetworkPolicies); \`network.apiServer\` naming the API server's addresses and ports; and the proxy's image registry in
the platform's \`policies.allowedRegistries\` (\`ghcr.io/kedacore/\` by default). A first answer after a long pause
takes as long as a GPU node, the image and the model take to start: the cold-start banner says so.

While premium wakes, its chats say so (\`openwebui.wakeNotice\`, on by default): a status line above the answer, renewed
every 5 s, counts the seconds waited against \`usualSeconds\` (\`Waking the premium model: 20 s so far, about 220 s
left\`), and ends with how long the wake took (\`The premium model is awake (woke in 95 s)\`): set \`usualSeconds\`
from those. It is an OpenWebUI filter function, global and named "Premium wake notice", that the \`model-access\`
container (below) installs, keeps and removes when the notice is off. It asks the wake-up proxy for \`/api/version\`,
which premium answers once a pod is ready and the proxy's 503 before: asking neither wakes premium nor counts for KEDA.

KEDA reads the proxies' in-flight count (\`Concurrency\`), which a request raises the moment it arrives, before it is
held: a chat held at zero is seen at KEDA's next poll however long premium slept. The add-on's own scaler and its
request rate, where the add-on 0.15.0 has a known fault after a long idle (kedacore/http-add-on#1692: the first
request is held until its timeout and nothing scales), are not used. The runtime suite proves the path with KEDA
itself: premium asleep a cooldown after business hours close, a held chat read from \`/queue\`, premium woken and the
chat answered.

When KEDA cannot read \`/queue\` (no proxy pod ready, its reads refused by a NetworkPolicy), it cannot see demand.
After \`ollama.premium.scaling.fallback.failureThreshold\` failed reads in a row (3) it holds premium at
\`fallback.replicas\` pods (1; woken if it slept) and says so: the ScaledObject's \`Fallback\` condition is \`True\`
(Argo CD shows it Degraded), while \`Ready\` stays \`True\`, so \`helm install --wait\` returns. Premium does not
sleep while KEDA is blind (KEDA 2.21 counts a trigger in fallback as active); the first good read ends the fallback.
See "Premium stays awake on its fallback" under Troubleshooting.

## Who may use premium

OpenWebUI 0.12 shows its users (not its admins) only the models granted to them, and a fresh tenant grants none.
With an admin (\`openwebui.admin.email\`), the container \`model-access\` of OpenWebUI's pod (\`openwebui.modelAccess\`,
on by default) signs in as that admin through OpenWebUI's own API, on the pod's loopback, and grants:

- the standard model to every user;
- the premium model to the members of the OpenWebUI groups in \`openwebui.modelAccess.premiumGroups\` (\`[premium]\`;
  created if missing), or to every user if the list is empty.

Members are added in OpenWebUI's admin panel (Users → Groups), or by the identity provider with OpenWebUI's OIDC group
management (\`ENABLE_OAUTH_GROUP_MANAGEMENT\` through \`openwebui.extraEnv\`). A user outside those groups does not see
premium, and OpenWebUI refuses their chats and Ollama API calls to it before they reach the wake-up proxy: they cannot
wake the GPUs. The container checks every \`recheckSeconds\` and puts back what drifted (a model Ollama listed late, a
grant changed in the admin panel): the values own these two models' grants. Its log says what it granted:
\`kubectl logs -n tenant-<name> deploy/openwebui -c model-access\`.

## Token usage, for billing

OpenWebUI counts every answer's tokens (Ollama's prompt and answer counts) per user and model, for the chats it
keeps. An admin's API key (Settings → Account → API keys) reads them per model, optionally for a time range
(\`start_date\`, \`end_date\`: Unix seconds) or one group (\`group_id\`):

*Not run by the tests: it needs your tenant's host and an admin's key; runtime scenario \`tokens-counted\` reads the same endpoint through the lab's ingress.*

\`\`\`sh
curl -s -H "Authorization: Bearer $TENANT_ADMIN_KEY" "https://<host>/api/v1/analytics/tokens?start_date=1764547200"
\`\`\`

The answer holds \`total_input_tokens\`, \`total_output_tokens\` and each model's. Per user: \`/api/v1/analytics/users\`.
Each tenant counts only its own OpenWebUI's chats, so one query per tenant is that tenant's bill.

## A Linkerd mesh

\`mesh.linkerd.enabled\` injects Linkerd's proxy into OpenWebUI and both Ollama tiers (mTLS between them, and with
the ingress controller when it is meshed too). The chart's NetworkPolicies then admit the proxy's inbound port (4143)
wherever they admit an application port between meshed peers, let every pod resolve names and reach the control
plane in \`mesh.linkerd.namespace\` (identity, destination and policy: 8080, 8086, 8090), and the proxy's requests
and limits come from \`mesh.linkerd.proxyResources\`, so the tenant's quota admits it. Around it:

- Install Linkerd with its CNI plugin and proxies that drop every capability: tenant namespaces enforce the
  \`restricted\` Pod Security Standard, which refuses \`linkerd-init\` (NET_ADMIN, NET_RAW).
- In the platform chart, name Linkerd's namespace in \`policies.sharedNamespaces.mesh\` and its proxy image's
  registry (e.g. \`cr.l5d.io/linkerd/\`) in \`policies.allowedRegistries\`; otherwise the isolation policies refuse the
  NetworkPolicy to the control plane and the injected container.
- The \`helm test\` Pod is not meshed; OpenWebUI still admits it on its own port.

## Escape hatches

What operators adapt without forking the chart, each checked by the values schema so that none can undo what the
chart guarantees or reach another tenant:

- **Files in the pods** (a corporate CA bundle, say): \`openwebui.extraVolumes\` and \`ollama.extraVolumes\` take
  ConfigMaps, Secrets and size-limited emptyDirs of the tenant namespace (no hostPath or other node or cluster
  source), mounted in the main container by \`extraVolumeMounts\` at a path that is not one of the chart's (the data
  directory, /tmp, HOME, the model cache). Name the bundle in the settings that read it, e.g. \`extraEnv\`
  \`SSL_CERT_FILE\` and \`REQUESTS_CA_BUNDLE\` for OpenWebUI.
- **Settings from a ConfigMap or Secret**: \`extraEnv\` (one variable each) and \`extraEnvFrom\` (every key); a
  variable the chart sets keeps the chart's value.
- **Probes**: \`startupProbe\`, \`readinessProbe\` and \`livenessProbe\` of OpenWebUI and Ollama take their timing
  (initial delay, period, timeout, failure threshold); what they check stays the chart's.
- **RuntimeClass**: \`runtimeClassName\` (gVisor, Kata, a GPU runtime) per workload.
- **Spread**: \`topologySpreadConstraints\` of OpenWebUI and Ollama (e.g. zones with \`DoNotSchedule\`) replace the
  chart's spread (zones and nodes, \`ScheduleAnyway\`); each counts only the workload's own pods, whose selector the
  chart sets.
- **Disruption**: \`openwebui.podDisruptionBudget\` is rendered when OpenWebUI runs more than one replica (or when
  \`enabled\`), at most one pod down at a time; \`minAvailable\` or \`maxUnavailable\` (one of them) sets another bound.
- **OpenWebUI's identity**: \`openwebui.serviceAccount\` creates the ServiceAccount \`openwebui\` (or names an
  existing one), with annotations such as \`eks.amazonaws.com/role-arn\` for S3 storage through IRSA; the API token
  is not mounted unless \`automountToken\` is set (IRSA's web identity token is mounted either way).
- **Egress**: the tenant is default-deny; \`network.extraEgress\` opens what OpenWebUI must reach (web search, MCP tool
  servers, S3, SMTP), one NetworkPolicy \`extra-egress-<name>\` per rule, each with its ports. A \`0.0.0.0/0\` range
  excludes \`network.privateCidrs\`; a namespace is selected by its name only, never a tenant's, and the platform's
  \`policies.sharedNamespaces\` must list it (its policies refuse any other selector).
- **Labels and annotations**: \`commonLabels\` go on every object and pod beside the chart's (whose keys they cannot
  set); \`commonAnnotations\` on every object (an object's own annotations win), never with a key of Kubernetes, Helm,
  Argo CD, Linkerd, AWS or the chart, which would change what the object does.
- **Extra manifests**: \`extraObjects\` are rendered as given (no template expressions, so every rendering of the
  chart agrees), always in the tenant namespace with the chart's labels; only namespaced kinds that stay there are
  accepted (no cluster-scoped kind, no Role or RoleBinding), and the platform's policies apply to them. An
  ExternalSecret among them reads only keys under the tenant's prefix \`llmcharts/tenants/<name>/\`; another is refused.

## As a dependency of an umbrella chart

The chart can be a dependency of a site's own chart: \`enabled\` is accepted for the dependency's
\`condition: tenant.enabled\`, and \`global.imageRegistry\` (a mirror or an ECR pull-through cache, host[:port][/path])
replaces the registry of every image the tenant runs: \`ghcr.io/open-webui/open-webui\` becomes
\`<imageRegistry>/open-webui/open-webui\`. Add it to the platform's \`policies.allowedRegistries\`.
\`global.imagePullSecrets\` (Secret names in the tenant namespace, e.g. the mirror's credentials) are named by every
pod, before the tenant's own \`imagePullSecrets\`. Any other \`global\` key is refused rather than silently ignored.
`;

const ns = "tenant-<name>";

/** The tenant's first failures: what the operator sees, the command that shows why, the fix. */
export const tenantTroubleshooting: TroubleshootingEntry[] = [
  {
    failure: "Pods stay Pending",
    symptom: `\`kubectl -n ${ns} get pods\` shows OpenWebUI or Ollama \`Pending\` for minutes.`,
    commands: [
      `kubectl -n ${ns} describe pod <pod>   # the scheduler's reason, under Events`,
      `kubectl get nodes -L ${labels.pool},${labels.nodeTier}`,
      `kubectl -n ${ns} describe resourcequota ${names.quota}`,
    ],
    fix:
      `"didn't match Pod's node affinity/selector": no node carries the tier's labels \`${labels.pool}\` and ` +
      `\`${labels.nodeTier}\` (the nodepools chart's nodes do; on a lab, label the node: \`kubectl label node <node> ` +
      `${labels.pool}=${standardPool} ${labels.nodeTier}=standard\`). "Insufficient nvidia.com/gpu" or "untolerated ` +
      `taint": premium needs a GPU node of the premium pool (see the nodepools chart's Troubleshooting). "no ` +
      `PriorityClass with name ${priorityClasses.standard}": install the platform chart first, it creates the ` +
      `PriorityClasses. "exceeded quota" (an event on the ReplicaSet): raise \`quota\`. A claim \`Pending\` ` +
      `(\`kubectl -n ${ns} get pvc\`): its StorageClass has no provisioner here; name one in \`openwebui.persistence.storageClass\`.`,
  },
  {
    failure: "An ExternalSecret is not ready",
    symptom:
      `Pods stay in \`CreateContainerConfigError\` ("secret \\"${tenantSecrets.webuiSecretKey.secret}\\" not ` +
      'found"): External Secrets has not made the Secret the pod reads. `helm install --wait` fails at its ' +
      `\`--timeout\` with "resource ExternalSecret/${ns}/${tenantSecrets.webuiSecretKey.secret} not ready. status: ` +
      'InProgress, message: could not get secret data from provider" (Helm 4 reads a Ready condition False as in ' +
      "progress and waits to the timeout; it never ends sooner). Once synced, a Secret keeps its last value when a " +
      "refresh fails (a Secrets Manager outage): running pods carry on, and the platform's alert " +
      "`LLMExternalSecretNotSynced` fires.",
    commands: [
      `kubectl -n ${ns} get secretstores,externalsecrets`,
      `kubectl -n ${ns} describe externalsecret ${tenantSecrets.webuiSecretKey.secret}   # the provider's error, under Events`,
    ],
    fix:
      `SecretStore \`${names.secretStore}\` not Ready: the IAM role in \`secrets.roleArn\` must trust the ` +
      `subject \`system:serviceaccount:${ns}:${names.secretsReader}\` through the cluster's OIDC provider. ` +
      'ExternalSecret not Ready with "Secret does not exist": create it in Secrets Manager under the tenant\'s prefix ' +
      `\`${tenantSecretPrefix("<name>")}\` (every name is in "Secrets" above). Without External Secrets, set ` +
      "`secrets.existingSecret` and create that Secret with the keys listed there.",
  },
  {
    failure: "OpenWebUI crash-loops once telemetry is on",
    symptom:
      "After `openwebui.telemetry.enabled: true`, OpenWebUI restarts over and over and its log ends in a " +
      "`ModuleNotFoundError` naming an `opentelemetry` package.",
    commands: [`kubectl -n ${ns} logs deploy/${names.openwebui} --previous | tail -n 5`],
    fix:
      "The image lacks OpenTelemetry's SDK, exporters and instrumentations. OpenWebUI's own image holds them; its PyPI " +
      "release does not declare them, so an image built with `pip install open-webui` must install them too, at " +
      "versions that match each other (the SDK and exporters of one release, the instrumentations of its matching " +
      "`0.xxb` release). Or turn telemetry off again: OpenWebUI starts without it.",
  },
  {
    failure: "HTTPS answers with the wrong certificate",
    symptom:
      "The browser warns about the certificate of `exposure.host`: the ingress controller serves its default one " +
      '(ingress-nginx\'s "Kubernetes Ingress Controller Fake Certificate", Traefik\'s "TRAEFIK DEFAULT CERT") because ' +
      "the Secret `exposure.ingress.tlsSecretName` names is not in the tenant namespace.",
    commands: [`kubectl -n ${ns} get secret openwebui-tls`, `kubectl -n ${ns} describe ingress ${names.openwebui}`],
    fix:
      `Create it (\`kubectl -n ${ns} create secret tls openwebui-tls --cert=<file> --key=<file>\`), or let ` +
      "cert-manager issue it: add `cert-manager.io/cluster-issuer: <issuer>` to `exposure.ingress.annotations`. The " +
      "chart cannot refuse a missing Secret: `helm template` and Argo CD render without a cluster, and on a first " +
      'install the namespace, which the chart creates, holds nothing yet. Set `tlsSecretName` to `""` for no TLS.',
  },
  {
    failure: "A model is missing from the catalog",
    symptom:
      "The model picker lacks the tier's model, or a chat fails with \"model '<model>' not found\": the tenant's " +
      "Ollama mounts its tier's catalog of the shared cache read-only and can pull nothing itself.",
    commands: [
      "npx llmcharts validate --chart tenant --fleet tenants/ --platform platform-values.yaml",
      `kubectl -n ${ns} exec deploy/${names.ollamaStandard} -- ollama list`,
      `kubectl -n ${platformNamespace} get jobs   # the platform's pull Jobs, one per catalog model`,
    ],
    fix:
      "`validate` names each tenant key whose model is not in that tier's part of the platform's catalog: add it to " +
      "the platform's `modelCache.models` under that tier (and upgrade the platform, whose Job pulls it), or " +
      "choose a model the catalog has. A pull Job that failed shows why in `kubectl logs job/<job>`.",
  },
  {
    failure: "Premium does not wake",
    symptom: `A premium chat waits, then fails with a 504 after \`ollama.premium.wake.holdSeconds\`; \`deploy/${names.ollamaPremium}\` stays at 0 replicas.`,
    commands: [
      `kubectl -n ${ns} describe scaledobject ${names.ollamaPremium}   # Ready and Active conditions, KEDA's errors`,
      `kubectl -n ${ns} get deployments ${names.premiumWake} ${names.ollamaPremium}`,
      "kubectl -n keda logs deploy/keda-operator --tail=50",
    ],
    fix:
      "ScaledObject not Ready: KEDA is missing or older than 2.20, or runs outside `network.kedaNamespace` (its " +
      "requests to the proxy's port 9090 are then refused by the tenant's NetworkPolicies). The wake-up proxy " +
      "not Running: its image's registry must be in the platform's `policies.allowedRegistries`, and " +
      "`network.apiServer` must name the API server's addresses and ports (the proxy watches its routes there). " +
      `Active but premium's pod Pending: no GPU node (see "Pods stay Pending").`,
  },
  {
    failure: "Premium stays awake on its fallback",
    symptom:
      `\`kubectl -n ${ns} get scaledobject ${names.ollamaPremium}\` shows FALLBACK \`True\` (Argo CD: Degraded, "At least ` +
      'one trigger is falling back on this scaled object"); premium runs `ollama.premium.scaling.fallback.replicas` ' +
      "pods and does not go back to zero: KEDA cannot read the wake-up proxy's `/queue`.",
    commands: [
      `kubectl -n ${ns} describe scaledobject ${names.ollamaPremium}   # KEDAScalerFailed events: KEDA's read error`,
      `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${names.premiumWake}`,
      'kubectl -n keda logs deploy/keda-operator --tail=50 | grep "using fallback"   # suppressedError: the same error, each poll',
    ],
    fix:
      '"no endpoints URLs were given for the service name": no proxy pod is ready (see "Premium does not wake"). ' +
      "\"could not get any metric successfully\": the proxy is up but KEDA's reads fail; KEDA's operator must run " +
      "in `network.kedaNamespace`, whose pods alone the proxy's NetworkPolicy admits on port 9090. The fallback ends " +
      "at the first good read, and premium goes back to zero a `cooldownPeriod` later.",
  },
  {
    failure: "Kyverno refuses an object",
    symptom:
      '`helm install` fails with `admission webhook "validate.kyverno.svc-fail" denied the request`, or a ' +
      "Deployment has no pods and its ReplicaSet's events say so. The message names the policy and the rule.",
    commands: [
      `kubectl -n ${ns} get events --field-selector reason=FailedCreate`,
      "kubectl get clusterpolicies",
      `kubectl -n ${ns} get policyreports`,
    ],
    fix:
      "The platform's policies keep tenants apart; the refusal says which value to change. An image outside " +
      "`policies.allowedRegistries` (platform values): add its registry there, or mirror it (`global.imageRegistry`). " +
      "A NetworkPolicy to a namespace the platform does not list: add it to `policies.sharedNamespaces`. A GPU " +
      "request, toleration or privilege outside the premium tier: the tenant's `tenant.tier`.",
  },
];
