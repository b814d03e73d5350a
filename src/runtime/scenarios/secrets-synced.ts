/**
 * secrets-synced: a standard tenant whose secrets come from Secrets Manager through External Secrets, as the chart
 * installs by default (no existingSecret). The operator puts each secret where the tenant's ExternalSecrets read it
 * (the chart's own rendering names the paths), in moto standing for AWS; External Secrets, running as the cluster's
 * controller, syncs them as the tenant's role (web identity for the chart's `secrets-reader` ServiceAccount), and
 * OpenWebUI starts on them: its admin signs in with the password that exists only in Secrets Manager. A secret
 * rotated there reaches the Kubernetes Secret within the release's refreshInterval, and Reloader (the cluster's
 * controller) rolls OpenWebUI out onto it: the new pod's process runs with the rotated value, nobody restarted it.
 */
import { randomBytes } from "node:crypto";
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import type { ExternalSecret, Named, Secret } from "../../../charts-src/lib/k8s.js";
import { tenantRoleName } from "../../../charts-src/lib/tenant-iam.js";
import { awsEndpoint } from "../../cluster/controllers/external-secrets.js";
import { motoSecrets } from "../../cluster/moto.js";
import { clusterPaths } from "../../cluster/paths.js";
import { componentSelector, execIn, waitPodsReady } from "../../harness/pods.js";
import { eventually } from "../../lib/wait.js";
import type { RuntimeScenario } from "../context.js";
import { runtimeStandIns } from "../standin-names.js";
import { installLabTenant, labTenant } from "../tenants.js";
import { asUsersReachIt } from "./standard.js";

/** The tenant's AWS account, in its role's ARN: where moto keeps what that role reads. */
const account = "210987654321";
const refreshSeconds = 10;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
const readyCondition = (o: { status?: unknown }) =>
  (o.status as { conditions?: Condition[] } | undefined)?.conditions?.find((c) => c.type === "Ready");

/** Each Secrets Manager name the rendering's ExternalSecrets read, with the Kubernetes Secret and key it fills. */
const remoteSecrets = (objects: Named[]) =>
  objects
    .filter((o): o is Named<ExternalSecret> => o.kind === "ExternalSecret")
    .flatMap((es) =>
      (es.spec?.data ?? []).map((d) => ({
        remote: d.remoteRef.key,
        secret: es.spec?.target?.name ?? es.metadata.name,
        key: d.secretKey,
      })),
    );

const decoded = (s: Secret, key: string) => Buffer.from(s.data?.[key] ?? "", "base64").toString("utf8");

export const secretsSynced: RuntimeScenario = {
  id: "secrets-synced",
  title: "a tenant on External Secrets: its secrets synced from Secrets Manager (moto), OpenWebUI started on them",
  run: async (ctx, r) => {
    r.standIn(runtimeStandIns.aws);
    const epsilon = labTenant("epsilon");
    const moto = motoSecrets(awsEndpoint(clusterPaths(ctx.clusterName)));
    const known: Record<string, string> = {
      WEBUI_SECRET_KEY: epsilon.secretKey,
      WEBUI_ADMIN_PASSWORD: epsilon.adminPassword,
    };
    let synced: ReturnType<typeof remoteSecrets> = [];
    const start = Date.now();
    await installLabTenant(ctx, r, epsilon, "lab-standard.yaml", {
      values: {
        secrets: {
          existingSecret: "",
          roleArn: `arn:aws:iam::${account}:role/${tenantRoleName(epsilon.name)}`,
          refreshInterval: `${refreshSeconds}s`,
        },
      },
      // What the operator does before the install (the README's secret contract): each secret at its path.
      secretsManager: async (objects) => {
        synced = remoteSecrets(objects);
        for (const s of synced) await moto.create(account, s.remote, known[s.key] ?? randomBytes(16).toString("hex"));
      },
    });
    r.check("the release reads its secrets from Secrets Manager", synced.length >= 2, JSON.stringify(synced));
    await r.step("every ExternalSecret Ready, its Secret written by External Secrets", () =>
      eventually(async () => {
        const list = await ctx.k.kubectl(["get", "externalsecrets", "-n", epsilon.namespace, "-o", "json"]);
        const items = (JSON.parse(list) as { items: Named<ExternalSecret>[] }).items;
        const notReady = items.filter((es) => readyCondition(es)?.status !== "True");
        if (items.length === 0 || notReady.length > 0)
          throw new Error(
            `not Ready: ${notReady.map((es) => `${es.metadata.name} ${JSON.stringify(readyCondition(es))}`).join("; ")}`,
          );
      }, 120_000),
    );
    r.figure("esoSyncedSeconds", (Date.now() - start) / 1000);
    await waitPodsReady(ctx.k, epsilon.namespace, componentSelector(names.openwebui), { timeoutMs: 420_000 });
    r.figure("esoTenantReadySeconds", (Date.now() - start) / 1000);
    await r.step("OpenWebUI's admin signs in with the password that exists only in Secrets Manager", async () => {
      const role = await (await asUsersReachIt(ctx, epsilon)).signin(epsilon.adminEmail, epsilon.adminPassword);
      if (role !== "admin") throw new Error(`signed in with role ${role}`);
    });
    const key = synced.find((s) => s.key === "WEBUI_SECRET_KEY");
    if (key) {
      const rotated = randomBytes(24).toString("hex");
      const rotatedAt = Date.now();
      await moto.rotate(account, key.remote, rotated);
      await r.step(`a rotated ${key.remote} reaches Secret ${key.secret} within refreshInterval`, () =>
        eventually(
          async () => {
            const s = await ctx.k.get<Secret>("secret", key.secret, epsilon.namespace);
            if (decoded(s, key.key) !== rotated) throw new Error(`Secret ${key.secret} still holds the old value`);
          },
          (refreshSeconds + 20) * 1000,
        ),
      );
      r.figure("esoRotationSeconds", (Date.now() - rotatedAt) / 1000);
      await r.step(`Reloader rolls OpenWebUI out: its new pod runs with the rotated ${key.key}`, () =>
        eventually(
          async () => {
            const pods = await waitPodsReady(ctx.k, epsilon.namespace, componentSelector(names.openwebui));
            const fresh = pods.filter((p) => Date.parse(p.metadata.creationTimestamp ?? "") >= rotatedAt - 1000);
            const [pod] = fresh;
            if (!pod || fresh.length !== pods.length)
              throw new Error(`OpenWebUI pods not rolled yet: ${pods.map((p) => p.metadata.name).join(", ")}`);
            // The environment of the container's first process: what OpenWebUI read at its start.
            const env = await execIn(ctx.k, epsilon.namespace, pod.metadata.name, names.openwebui, [
              "sh",
              "-c",
              `tr '\\0' '\\n' < /proc/1/environ | grep '^${key.key}='`,
            ]);
            if (env.out !== `${key.key}=${rotated}`)
              throw new Error(`${pod.metadata.name} runs with another ${key.key}`);
          },
          300_000,
          2000,
        ),
      );
      r.figure("reloadedSeconds", (Date.now() - rotatedAt) / 1000);
    }
    // Its pods only slow the scenarios after it.
    await ctx.h.uninstall(epsilon.release, "tenants");
  },
};
