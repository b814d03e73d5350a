/**
 * External Secrets on the control plane, reading from moto (Secrets Manager and STS on loopback): the tenant chart's
 * own ServiceAccount, SecretStore and ExternalSecret (its concrete rendering) sync tenant alpha's secret into the
 * Secret its OpenWebUI Deployment reads, the store authenticating as alpha's ServiceAccount (a TokenRequest token
 * traded at STS for the role its annotation names). Tenants are kept apart by their accounts (moto keeps each role's
 * account's secrets apart; it does not check the token nor ARN-scoped policies, controllers.md §6): an ExternalSecret
 * of alpha that names beta's path gets nothing and says so (its Ready condition and an event), and the platform's
 * Kyverno policy refuses that object at admission. A secret rotated in moto reaches the Secret within
 * refreshInterval, and Reloader rolls the chart's OpenWebUI Deployment out onto it (a new ReplicaSet, its pod
 * template naming the Secret and its new hash), which names that Secret in its annotation; a copy without the annotation
 * is left alone. A tenant whose secret is missing, installed with Helm 4's `--wait`, fails at its `--timeout` naming
 * the ExternalSecret and External Secrets' reason (Helm's kstatus reads a Ready condition False as InProgress, never as
 * failed: it waits, it does not hang past the timeout). Secrets Manager down (moto stopped), the synced Secret keeps
 * its last good value while the ExternalSecret turns Ready False and the controller's gauge, which the platform's
 * alert LLMExternalSecretNotSynced reads, says so. No real node: nothing here needs a pod to run (the Deployment
 * controller makes the ReplicaSets).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, ExternalSecret, KubeObject, ReplicaSet, Secret } from "../../charts-src/lib/k8s.js";
import { tenantRoleName } from "../../charts-src/lib/tenant-iam.js";
import { tenantSecretPathsName } from "../../charts-src/platform/policies/tenant-secret-paths.js";
import { reloadOnSecretsAnnotation, tenantSecrets } from "../../charts-src/tenant/secrets.js";
import { awsEndpoint, externalSecretsMetricsUrl } from "../../src/cluster/controllers/external-secrets.js";
import { type ClusterInfo, clusterDown, clusterStatus, clusterUp } from "../../src/cluster/index.js";
import { type MotoSecrets, motoSecrets } from "../../src/cluster/moto.js";
import { clusterPaths } from "../../src/cluster/paths.js";
import { Helm, HelmError } from "../../src/harness/helm.js";
import { Kube } from "../../src/harness/kube.js";
import { run } from "../../src/lib/run.js";
import { eventually } from "../../src/lib/wait.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { ofKind, type Rendered } from "../rendered.js";
import { render } from "../tenant/render.js";

const unique = `${process.pid}-${Date.now().toString(36)}`;
/** Each tenant's own AWS account, in its role's ARN: where moto keeps what that role reads. */
const accounts = { alpha: "111111111111", beta: "222222222222", gamma: "333333333333" } as const;
const refreshSeconds = 10;
const key = tenantSecrets.webuiSecretKey;
const path = (tenant: string) => `llmcharts/tenants/${tenant}/${key.remote}`;

/** A tenant's values: its own role (in its own account), secrets re-read every refreshSeconds. */
const tenantValues = (tenant: keyof typeof accounts) => ({
  tenant: { name: tenant },
  exposure: { host: `${tenant}.example.com` },
  secrets: {
    roleArn: `arn:aws:iam::${accounts[tenant]}:role/${tenantRoleName(tenant)}`,
    refreshInterval: `${refreshSeconds}s`,
  },
  ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
});

/** The tenant chart's rendering, as `helm template` would give it (test/engine/equivalence proves they agree). */
const tenantObjects = (tenant: keyof typeof accounts): Rendered[] => render(tenantValues(tenant));

/** The chart's OpenWebUI Deployment, which names the Secrets it reads in Reloader's annotation. */
const openwebui = (objects: Rendered[]) =>
  ofKind<Deployment>(objects, "Deployment").find((d) => d.metadata.name === "openwebui") as Deployment;

/** The same Deployment without Reloader's annotation (its own name and labels): what Reloader must leave alone. */
const unannotated = (d: Deployment): Deployment => {
  const copy = structuredClone(d);
  const name = "openwebui-unannotated";
  const labels = { "app.kubernetes.io/name": name };
  const metadata = copy.metadata as NonNullable<Deployment["metadata"]>;
  delete metadata.annotations?.[reloadOnSecretsAnnotation];
  metadata.name = name;
  Object.assign(copy.spec?.selector.matchLabels ?? {}, labels);
  Object.assign(copy.spec?.template.metadata?.labels ?? {}, labels);
  return copy;
};

/** Reloader's annotations strategy: what it writes in the pod template (the Secret, and the hash of its data). */
const lastReloadedFrom = "reloader.stakater.com/last-reloaded-from";

/** What External Secrets acts on: the namespace, the reader ServiceAccount, the store and the ExternalSecrets. */
const secretsObjects = (objects: Rendered[]) =>
  objects.filter((o) => ["Namespace", "ServiceAccount", "SecretStore", "ExternalSecret"].includes(o.kind));

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
/** An External Secrets object's Ready condition. */
const ready = (o: unknown): Condition | undefined =>
  (o as { status?: { conditions?: Condition[] } }).status?.conditions?.find((c) => c.type === "Ready");

describe("External Secrets reading a tenant's secrets from moto", { timeout: 180_000 }, () => {
  const name = `eso-${unique}`;
  let info: ClusterInfo | undefined;
  let kube: Kube;
  let moto: MotoSecrets;
  const alpha = tenantObjects("alpha");
  const ns = "tenant-alpha";
  const secretValue = (secret: string) =>
    kube.get<Secret>("secret", secret, ns).then((s) => Buffer.from(s.data?.[key.key] ?? "", "base64").toString("utf8"));

  beforeAll(async () => {
    info = await clusterUp({ name, controllers: ["external-secrets", "reloader"] });
    kube = new Kube(info.kubeconfig);
    moto = motoSecrets(awsEndpoint(clusterPaths(name)));
    await moto.create(accounts.alpha, path("alpha"), "alpha-key-1");
    await moto.create(accounts.beta, path("beta"), "beta-key-1");
    await kube.apply(secretsObjects(alpha));
    await kube.apply([openwebui(alpha), unannotated(openwebui(alpha))]);
  }, 300_000);

  afterAll(async () => {
    await clusterDown({ name });
  }, 60_000);

  it("validates alpha's store: web identity as alpha's ServiceAccount, through moto's STS", async () => {
    const store = await eventually(async () => {
      const s = await kube.get("secretstore", "aws-secrets-manager", ns);
      if (ready(s)?.status !== "True") throw new Error(`store not Ready: ${JSON.stringify(ready(s))}`);
      return s;
    }, 60_000);
    expect(ready(store)).toMatchObject({ status: "True", reason: "Valid" });
  });

  it("syncs alpha's secret into the Secret and key the chart's OpenWebUI reads", async () => {
    const deployment = ofKind<Deployment>(alpha, "Deployment").find((d) => d.metadata.name === "openwebui");
    const ref = deployment?.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === key.key)?.valueFrom
      ?.secretKeyRef;
    expect(ref).toEqual({ name: key.secret, key: key.key });
    const value = await eventually(async () => {
      const v = await secretValue(ref?.name ?? "");
      if (v !== "alpha-key-1") throw new Error(`Secret ${ref?.name} holds "${v}"`);
      return v;
    }, 60_000);
    expect(value).toBe("alpha-key-1");
    const es = await kube.get<ExternalSecret>("externalsecret", key.secret, ns);
    expect(ready(es)).toMatchObject({ status: "True", reason: "SecretSynced" });
  });

  it("gives alpha's store nothing of beta's path, and reports the ExternalSecret that cannot sync", async () => {
    const stolen = {
      ...(ofKind<ExternalSecret>(alpha, "ExternalSecret")[0] as KubeObject),
      metadata: { name: "beta-secret-key", namespace: ns },
    } as ExternalSecret;
    const spec = stolen.spec as NonNullable<ExternalSecret["spec"]>;
    stolen.spec = {
      ...spec,
      target: { ...spec.target, name: "beta-secret-key" },
      data: [{ secretKey: key.key, remoteRef: { key: path("beta") } }],
    };
    await kube.apply([stolen]);
    const condition = await eventually(async () => {
      const c = ready(await kube.get("externalsecret", "beta-secret-key", ns));
      if (c?.status !== "False") throw new Error(`not failed yet: ${JSON.stringify(c)}`);
      return c;
    }, 60_000);
    expect(condition).toMatchObject({ status: "False", reason: "SecretSyncedError" });
    expect(await kube.exists("secret", "beta-secret-key", ns)).toBe(false);
    const events = await eventually(async () => {
      const out = await kube.kubectl([
        ...["get", "events", "-n", ns, "-o", "json"],
        "--field-selector=involvedObject.kind=ExternalSecret,involvedObject.name=beta-secret-key,type=Warning",
      ]);
      const items = (JSON.parse(out) as { items: { reason: string; message: string }[] }).items;
      if (items.length === 0) throw new Error("no Warning event yet");
      return items;
    }, 60_000);
    // External Secrets' own words, naming the key: alpha's account has no such secret.
    expect(events.map((e) => e.message).join("\n")).toContain(
      `error processing spec.data[0] (key: ${path("beta")}), err: Secret does not exist`,
    );
    // beta's secret is still there, in beta's account: alpha's role simply cannot see it.
    expect(await moto.read(accounts.beta, path("beta"))).toBe("beta-key-1");
  });

  it("is refused by the platform's Kyverno policy at admission (the same object; the chart's own passes)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eso-kyverno-"));
    const admitted = async (name: string) => {
      const { metadata, spec } = await kube.get<ExternalSecret>("externalsecret", name, ns);
      const file = join(dir, `${name}.json`);
      const object = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", spec };
      writeFileSync(file, JSON.stringify({ ...object, metadata: { name, namespace: ns, labels: metadata.labels } }));
      return file;
    };
    const files = [await admitted(key.secret), await admitted("beta-secret-key")];
    const namespace = ofKind(alpha, "Namespace")[0] as Rendered;
    // Offline Kyverno reads the namespace's labels and the tenant its policy looks up from a values file.
    const values = join(dir, "values.json");
    writeFileSync(
      values,
      JSON.stringify({
        apiVersion: "cli.kyverno.io/v1alpha1",
        kind: "Values",
        namespaceSelector: [{ name: ns, labels: { "kubernetes.io/metadata.name": ns, ...namespace.metadata.labels } }],
        policies: [
          {
            name: tenantSecretPathsName,
            resources: [key.secret, "beta-secret-key"].map((n) => ({ name: n, values: { namespaceTenant: "alpha" } })),
          },
        ],
      }),
    );
    const policy = join(process.cwd(), "policies", tenantSecretPathsName, "policy.yaml");
    const res = await run(requireBin("kyverno"), [
      ...["apply", policy, "--values-file", values],
      ...files.flatMap((f) => ["--resource", f]),
    ]);
    const out = `${res.stdout}${res.stderr}`;
    expect(out).toMatch(/ExternalSecret\/beta-secret-key[^\n]*\n?[^\n]*external-secret-keys-under-tenant-prefix/);
    expect(out).not.toMatch(new RegExp(`ExternalSecret/${key.secret}[^\\n]*fail`));
    expect(out).toMatch(/fail: 1,/);
    expect(res.exitCode).not.toBe(0);
  });

  const waitSeconds = 30;

  it(`fails a Helm 4 --wait install whose ExternalSecret cannot sync at its --timeout (${waitSeconds}s), naming it and why`, async () => {
    // Tenant gamma's own role and account, but nothing under its prefix in Secrets Manager: a wrong path, a secret
    // not yet created. (Its pods could not start either: no node here, and no Secret to read.)
    const dir = mkdtempSync(join(tmpdir(), "eso-helm-"));
    const values = join(dir, "gamma.json");
    writeFileSync(values, JSON.stringify(tenantValues("gamma")));
    const helm = new Helm(kube, join(dir, "helm"), { timeout: `${waitSeconds}s` });
    const t0 = Date.now();
    const failure = await helm
      .install({
        release: "gamma",
        chartDir: join(process.cwd(), "generated", "tenant"),
        namespace: "tenants",
        valuesFiles: [values],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `helm install --wait=watcher --timeout ${waitSeconds}s of tenant gamma failed after ${seconds.toFixed(1)} s`,
    );
    expect(failure).toBeInstanceOf(HelmError);
    const message = (failure as HelmError).message;
    console.log(message);
    // kstatus: Ready False is InProgress, so Helm waits to its timeout and then names what was not ready, with the
    // condition's message (External Secrets': the provider gave no data).
    expect(message).toContain(
      `resource ExternalSecret/tenant-gamma/${key.secret} not ready. status: InProgress, message: could not get secret data from provider`,
    );
    expect(message).toContain("context deadline exceeded");
    // The timeout, plus the server-side dry run before it and Helm's start: bounded, never a hang.
    expect(seconds).toBeGreaterThanOrEqual(waitSeconds);
    expect(seconds).toBeLessThan(waitSeconds + 45);
    // The why in full is in the ExternalSecret's Warning event: the key, and the provider's answer.
    const events = await kube.kubectl([
      ...["get", "events", "-n", "tenant-gamma", "-o", "json"],
      `--field-selector=involvedObject.kind=ExternalSecret,involvedObject.name=${key.secret},type=Warning`,
    ]);
    expect((JSON.parse(events) as { items: { message: string }[] }).items.map((e) => e.message).join("\n")).toContain(
      `error processing spec.data[0] (key: ${path("gamma")}), err: Secret does not exist`,
    );
    expect(await helm.list("tenants")).toMatchObject([{ name: "gamma", status: "failed" }]);
  });

  /** The ReplicaSets a Deployment owns, each with the Secret Reloader names in its pod template, if any. */
  const replicaSets = async (deployment: string) => {
    const list = JSON.parse(await kube.kubectl(["get", "replicasets", "-n", ns, "-o", "json"])) as {
      items: ReplicaSet[];
    };
    return list.items
      .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === "Deployment" && o.name === deployment))
      .map((rs) => ({
        name: rs.metadata?.name ?? "",
        reloaded: JSON.parse(rs.spec?.template?.metadata?.annotations?.[lastReloadedFrom] ?? "null") as {
          type: string;
          name: string;
          namespace: string;
          hash: string;
        } | null,
      }));
  };
  let secretChangedAt = 0;

  it(`carries a rotated secret into the Secret within refreshInterval (${refreshSeconds}s)`, async () => {
    // Both Deployments have their first ReplicaSet before the rotation: what Reloader makes after it is new.
    for (const d of ["openwebui", "openwebui-unannotated"]) {
      await eventually(async () => {
        if ((await replicaSets(d)).length !== 1) throw new Error(`Deployment ${d} has no ReplicaSet yet`);
      }, 60_000);
    }
    const t0 = Date.now();
    await moto.rotate(accounts.alpha, path("alpha"), "alpha-key-2");
    await eventually(
      async () => {
        const v = await secretValue(key.secret);
        if (v !== "alpha-key-2") throw new Error(`Secret still holds "${v}"`);
      },
      4 * refreshSeconds * 1000,
      250,
    );
    secretChangedAt = Date.now();
    const seconds = (secretChangedAt - t0) / 1000;
    console.log(
      `rotation reached Secret ${ns}/${key.secret} in ${seconds.toFixed(1)} s (refreshInterval ${refreshSeconds}s)`,
    );
    // At worst the rotation lands just after a refresh: one interval, plus the controller's and kubectl's latency.
    expect(seconds).toBeLessThanOrEqual(refreshSeconds + 3);
  });

  it("rolls OpenWebUI out onto the rotated Secret (Reloader), and leaves a Deployment without its annotation", async () => {
    expect(secretChangedAt, "the rotation reached the Secret").toBeGreaterThan(0);
    expect(openwebui(alpha).metadata?.annotations?.[reloadOnSecretsAnnotation]).toBe(key.secret);
    const rolled = await eventually(
      async () => {
        const sets = await replicaSets("openwebui");
        const fresh = sets.find((rs) => rs.reloaded);
        if (!fresh) throw new Error(`no ReplicaSet with ${lastReloadedFrom} yet: ${JSON.stringify(sets)}`);
        return { sets, fresh };
      },
      60_000,
      250,
    );
    const seconds = (Date.now() - secretChangedAt) / 1000;
    console.log(`Reloader rolled Deployment ${ns}/openwebui out ${seconds.toFixed(1)} s after the Secret changed`);
    // The first ReplicaSet stays (scaled down by the rollout); the new one's template names the rotated Secret.
    expect(rolled.sets).toHaveLength(2);
    expect(rolled.fresh.reloaded).toMatchObject({ type: "SECRET", name: key.secret, namespace: ns });
    expect(rolled.fresh.reloaded?.hash).toMatch(/^[0-9a-f]{40}$/);
    const d = await kube.get<Deployment>("deployment", "openwebui", ns);
    expect(JSON.parse(d.spec?.template.metadata?.annotations?.[lastReloadedFrom] ?? "null")).toEqual(
      rolled.fresh.reloaded,
    );
    // Reloader had the same event for the copy, which names no Secret: one ReplicaSet, no annotation.
    expect(await replicaSets("openwebui-unannotated")).toEqual([{ name: expect.any(String), reloaded: null }]);
  });

  let motoStopped = false;

  it("keeps the synced Secret through a Secrets Manager outage, and reports it (Ready False, the gauge the alert reads)", async () => {
    const lastGood = await secretValue(key.secret);
    expect(lastGood, "the rotation test synced alpha-key-2").toBe("alpha-key-2");
    const moto = (await clusterStatus({ name })).components.find((c) => c.name === "moto");
    expect(moto?.alive).toBe(true);
    process.kill(moto?.pid as number, "SIGTERM");
    motoStopped = true;
    await eventually(async () => {
      if ((await clusterStatus({ name })).components.find((c) => c.name === "moto")?.alive)
        throw new Error("moto runs");
    }, 30_000);
    // The next refresh (every refreshSeconds) finds no Secrets Manager.
    const condition = await eventually(
      async () => {
        const c = ready(await kube.get("externalsecret", key.secret, ns));
        if (c?.status !== "False") throw new Error(`still ${JSON.stringify(c)}`);
        return c;
      },
      6 * refreshSeconds * 1000,
      500,
    );
    expect(condition).toMatchObject({
      reason: "SecretSyncedError",
      message: "could not get secret data from provider",
    });
    // The Secret is untouched: the pods that read it keep running, and a restarted one starts on the same value.
    expect(await secretValue(key.secret)).toBe(lastGood);
    // External Secrets' own gauge, as Prometheus scrapes it: LLMExternalSecretNotSynced fires on it after its `for`.
    const metrics = await (await fetch(externalSecretsMetricsUrl(clusterPaths(name)))).text();
    const gauge = (status: string) =>
      `externalsecret_status_condition{condition="Ready",name="${key.secret}",namespace="${ns}",status="${status}"}`;
    expect(metrics).toContain(`${gauge("False")} 1\n`);
    expect(metrics).toContain(`${gauge("True")} 0\n`);
  });

  it("runs moto, the controller and Reloader as the cluster's processes, and stops them on down", async () => {
    const status = await clusterStatus({ name });
    const procs = status.components.filter((c) => ["moto", "external-secrets", "reloader"].includes(c.name));
    expect(procs.map((c) => [c.name, c.alive])).toEqual([
      // The outage above stopped moto.
      ["moto", !motoStopped],
      ["external-secrets", true],
      ["reloader", true],
    ]);
    await clusterDown({ name });
    for (const p of procs) expect(() => process.kill(p.pid as number, 0), `pid ${p.pid} still exists`).toThrow();
  });
});
