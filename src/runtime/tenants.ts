/** Tenants of the runtime suite: installed from generated/tenant with real Helm, their secrets in an existing Secret. */
import { tenantObjectNames as names, tenantNamespaceName } from "../../charts-src/lib/tenant-namespace.js";
import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Named } from "../../charts-src/lib/k8s.js";
import { defaultAppUids } from "../../charts-src/lib/pod-security.js";
import type { Recorder } from "../harness/recorder.js";
import { installTenant } from "../harness/tenants.js";
import { labHost, tlsSecret } from "./ingress-controller.js";
import { runtimeStandIns } from "./standin-names.js";
import type { RuntimeContext } from "./context.js";

export interface LabTenant {
  name: string;
  release: string;
  namespace: string;
  adminEmail: string;
  adminPassword: string;
  /** WEBUI_SECRET_KEY: one per tenant, the same on a reinstall (sessions and stored secrets stay valid). */
  secretKey: string;
}

/** The Secret the lab values name (`secrets.existingSecret`), holding every key the pods read. */
const secretName = "tenant-secrets";

export const labTenant = (name: string): LabTenant => ({
  name,
  release: name,
  namespace: tenantNamespaceName(name),
  adminEmail: `admin@${name}.lab.internal`,
  adminPassword: randomBytes(12).toString("hex"),
  secretKey: randomBytes(24).toString("hex"),
});

/** The StorageClass name a lab's shared (ReadWriteMany) data claim asks for; the values of such tenants name it. */
export const sharedDataClass = "lab-shared";

/**
 * The volume a lab's data claim binds (no provisioner here): a node directory owned by OpenWebUI's uid, pre-bound to
 * the tenant's claim, retained when the claim goes (as the chart keeps the claim itself). Shared, it stands for EFS:
 * every replica on the node mounts the same directory.
 */
const dataVolume = (ctx: RuntimeContext, t: LabTenant, shared: boolean) => {
  const path = join(ctx.dataRoot, t.name);
  mkdirSync(path, { recursive: true });
  chownSync(path, defaultAppUids.openwebui, defaultAppUids.openwebui);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `lab-data-${t.name}` },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: [shared ? "ReadWriteMany" : "ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: shared ? sharedDataClass : "",
      hostPath: { path, type: "Directory" },
      claimRef: { namespace: t.namespace, name: names.openwebuiData },
    },
  };
};

export interface LabInstall {
  /** More keys of the tenant's Secret (e.g. DATABASE_URL and REDIS_URL of the lab's host services). */
  secrets?: Record<string, string>;
  /** A ReadWriteMany data volume (several replicas), of StorageClass `sharedDataClass`. */
  sharedData?: boolean;
  /** Values known only at run time (addresses, ports). */
  values?: Record<string, unknown>;
  /**
   * Secrets from Secrets Manager (External Secrets), not an existing Secret: puts each secret where the dry run's
   * ExternalSecrets read it, before the install.
   */
  secretsManager?: (objects: Named[]) => Promise<void>;
}

/**
 * Installs a lab tenant from generated/tenant with its values file (test/runtime/values/): once the dry run has made
 * its namespace (as `helm install` adopts it), its data volume and the Secret the pods read, then the release.
 */
export const installLabTenant = async (
  ctx: RuntimeContext,
  r: Recorder,
  t: LabTenant,
  valuesFile: string,
  opts: LabInstall = {},
): Promise<void> => {
  r.standIn(runtimeStandIns.efs);
  if (!opts.secretsManager) r.standIn(runtimeStandIns.secrets);
  await installTenant(ctx, {
    release: t.release,
    releaseNamespace: "tenants",
    namespace: t.namespace,
    valuesFiles: [join(ctx.opts.root, "test", "runtime", "values", valuesFile)],
    values: opts.values,
    set: {
      "tenant.name": t.name,
      // Each tenant its own host: the ingress controller routes by it.
      "exposure.host": labHost(t.name),
      "ollama.modelCache.hostPath": ctx.modelCacheDir,
      "openwebui.admin.email": t.adminEmail,
    },
    waitAvailable: false,
    beforeInstall: async (objects) => {
      await ctx.k.apply([dataVolume(ctx, t, opts.sharedData ?? false), tlsSecret(t.namespace, ctx.labTls.serving)]);
      if (opts.secretsManager) return opts.secretsManager(objects);
      await ctx.k.apply([
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: secretName, namespace: t.namespace },
          stringData: { WEBUI_SECRET_KEY: t.secretKey, WEBUI_ADMIN_PASSWORD: t.adminPassword, ...opts.secrets },
        },
      ]);
    },
  });
};

/** The lab's API server as a tenant's wake-up proxy reaches it: the node's address and the control plane's port. */
export const apiServerValues = (ctx: RuntimeContext) => {
  const api = new URL(ctx.info?.apiserverUrl ?? "https://0.0.0.0:0");
  return { network: { apiServer: { cidrs: [`${api.hostname}/32`], ports: [Number(api.port)] } } };
};

/** An operator's `helm upgrade` of a lab tenant's release, its other values kept, with `args` (its --set flags). */
export const upgradeLabTenant = (ctx: RuntimeContext, t: LabTenant, args: string[]) =>
  ctx.h.helm([
    "upgrade",
    t.release,
    join(ctx.opts.root, "generated", "tenant"),
    "--namespace",
    "tenants",
    "--reuse-values",
    ...args,
  ]);
