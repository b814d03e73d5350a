/** Tenants of the runtime suite: installed from generated/tenant with real Helm, their secrets in an existing Secret. */
import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RuntimeRun } from "./suite.js";

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
  namespace: `tenant-${name}`,
  adminEmail: `admin@${name}.lab.internal`,
  adminPassword: randomBytes(12).toString("hex"),
  secretKey: randomBytes(24).toString("hex"),
});

/**
 * The volume a lab's data claim binds (no provisioner here): a node directory owned by OpenWebUI's uid, pre-bound to
 * the tenant's claim, retained when the claim goes (as the chart keeps the claim itself).
 */
const dataVolume = (run: RuntimeRun, t: LabTenant) => {
  const path = join(run.dataRoot, t.name);
  mkdirSync(path, { recursive: true });
  chownSync(path, 1000, 1000);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `lab-data-${t.name}` },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      hostPath: { path, type: "Directory" },
      claimRef: { namespace: t.namespace, name: "openwebui-data" },
    },
  };
};

/**
 * Installs a tenant: its namespace first (adopted by the release, as Helm adopts an object carrying its ownership
 * metadata) with the Secret the pods read, then `helm install` of the chart in git's working tree.
 */
export const installTenant = async (
  run: RuntimeRun,
  t: LabTenant,
  valuesFile: string,
  set: Record<string, string> = {},
  chartDir = join(run.opts.root, "generated", "tenant"),
): Promise<void> => {
  await run.k.apply([
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: t.namespace,
        labels: { "app.kubernetes.io/managed-by": "Helm" },
        annotations: { "meta.helm.sh/release-name": t.release, "meta.helm.sh/release-namespace": "tenants" },
      },
    },
  ]);
  await run.k.apply([dataVolume(run, t)]);
  await run.k.apply([
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: secretName, namespace: t.namespace },
      stringData: { WEBUI_SECRET_KEY: t.secretKey, WEBUI_ADMIN_PASSWORD: t.adminPassword },
    },
  ]);
  const sets = {
    "tenant.name": t.name,
    "ollama.modelCache.hostPath": run.modelCacheDir,
    "openwebui.admin.email": t.adminEmail,
    ...set,
  };
  await run.h.helm([
    "install",
    t.release,
    chartDir,
    "--namespace",
    "tenants",
    "-f",
    join(run.opts.root, "test", "runtime", "values", valuesFile),
    ...Object.entries(sets).flatMap(([k, v]) => ["--set-string", `${k}=${v}`]),
  ]);
};
