/**
 * A rotated secret reaches OpenWebUI without a hand restart: its Deployment names, in Stakater Reloader's annotation,
 * exactly the Secrets its pods read in env (they read them once, at start), so Reloader rolls it out when one of them
 * changes. test/cluster/external-secrets.test.ts runs Reloader on a rotation synced from moto.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Deployment, EnvVar } from "../../charts-src/lib/k8s.js";
import { reloadOnSecretsAnnotation, tenantSecrets } from "../../charts-src/tenant/secrets.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { ofKind, type Rendered } from "../rendered.js";
import { deployment, render } from "./render.js";

const base = {
  tenant: { name: "acme" },
  exposure: { host: "chat.acme.example.com" },
  secrets: { roleArn: "arn:aws:iam::123456789012:role/llmcharts-tenant-acme" },
  ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
};

/** Every Secret of the chart's own a workload's pods read in env: the tenant's secrets, or the existing Secret. */
const secretsReadInEnv = (w: Deployment, existingSecret?: string): string[] => {
  const own = new Set<string>([...Object.values(tenantSecrets).map((s) => s.secret), existingSecret ?? ""]);
  const pod = w.spec?.template.spec;
  const containers = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
  const names = containers.flatMap((c) => (c.env ?? []).map((e: EnvVar) => e.valueFrom?.secretKeyRef?.name ?? ""));
  return [...new Set(names.filter((n) => n !== "" && own.has(n)))].sort();
};

const reloads = (w: Deployment | undefined): string[] | undefined =>
  w?.metadata?.annotations?.[reloadOnSecretsAnnotation]?.split(",").sort();

/** The chart's workloads (it renders no StatefulSet or DaemonSet). */
const workloads = (objects: Rendered[]) => ofKind<Deployment>(objects, "Deployment");

describe("Reloader's annotation on the tenant's workloads", () => {
  it("names exactly the Secrets each workload reads in env, in every good fixture", () => {
    const fixtures = loadFixtures(join(import.meta.dirname, "..", ".."), "tenant").filter((f) => f.kind === "good");
    let several = 0;
    for (const f of fixtures) {
      const values = f.values as { secrets?: { existingSecret?: string; reloadOnRotation?: boolean } };
      if (values.secrets?.reloadOnRotation === false) continue;
      for (const w of workloads(render(f.values))) {
        const read = secretsReadInEnv(w, values.secrets?.existingSecret);
        expect(reloads(w), `${f.path}: ${w.kind} ${w.metadata.name}`).toEqual(read.length > 0 ? read : undefined);
        if (read.length > 1) several++;
      }
    }
    // The fixtures turn on the features whose secrets are optional (Postgres, Redis, OIDC, ...), not only the key.
    expect(several).toBeGreaterThan(0);
  });

  it("lists every optional secret the features make OpenWebUI read, from External Secrets", () => {
    const objects = render({
      ...base,
      openwebui: {
        admin: { email: "admin@acme.example.com" },
        database: { type: "postgres" },
        redis: { enabled: true },
        openai: { enabled: true, baseUrl: "https://api.openai.com/v1" },
        oidc: { enabled: true, providerUrl: "https://idp.example.com/.well-known/openid-configuration", clientId: "x" },
      },
    });
    const s = tenantSecrets;
    expect(reloads(deployment(objects, "openwebui"))).toEqual(
      [s.webuiSecretKey, s.databaseUrl, s.redisUrl, s.openaiApiKey, s.oidcClientSecret, s.adminPassword]
        .map((x) => x.secret)
        .sort(),
    );
  });

  it("names the one existing Secret when there is no External Secrets", () => {
    const objects = render({ ...base, secrets: { existingSecret: "acme-openwebui" } });
    expect(deployment(objects, "openwebui")?.metadata.annotations?.[reloadOnSecretsAnnotation]).toBe("acme-openwebui");
  });

  it("is left out with secrets.reloadOnRotation off", () => {
    for (const secrets of [{ ...base.secrets }, { existingSecret: "acme-openwebui" }]) {
      const objects = render({ ...base, secrets: { ...secrets, reloadOnRotation: false } });
      for (const w of workloads(objects)) expect(w.metadata.annotations?.[reloadOnSecretsAnnotation]).toBeUndefined();
    }
  });
});
