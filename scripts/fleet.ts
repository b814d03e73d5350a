/**
 * A fleet of realistic, distinct tenant values files, one folder per tenant (`<dir>/<name>/values.yaml`, the layout an
 * ApplicationSet's git-files generator reads): a mix of tiers, exposure, SSO, upstream APIs, HA setups, quotas and
 * premium scaling. Deterministic for a count and seed, so a benchmark's fleet is the same on every run.
 *
 *   npx tsx scripts/fleet.ts DIR [COUNT] [SEED]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";

const words = ["acme", "globex", "initech", "umbrella", "stark", "wayne", "hooli", "vandelay", "tyrell", "cyberdyne"];
const departments = ["legal", "research", "support", "sales", "finance", "ops", "hr", "eng", "data", "design"];
const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
const standardModels = ["llama3.2:3b", "qwen2.5:3b", "phi3:mini", "gemma2:2b"];
const premiumModels = ["llama3.3:70b", "qwen2.5:32b", "mixtral:8x7b"];

/** A small seeded generator (mulberry32): the same fleet for the same seed, without a dependency. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** One tenant's values: the i-th of a fleet, distinct in name, host, role and network ranges. */
export const tenantValues = (i: number, next: () => number): Record<string, unknown> => {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const name = `${pick(words)}-${pick(departments)}-${i}`;
  const roll = next();
  const tier = roll < 0.6 ? "standard" : roll < 0.75 ? "premium" : "both";
  const account = String(100000000000 + i * 7919).slice(0, 12);
  // Distinct up to 32,768 tenants; the first 2,048 keep the ranges they always had.
  const subnet = `10.${64 + (i % 128)}.${(Math.floor(i / 128) * 16 + Math.floor(i / 2048)) % 256}`;
  const values: Record<string, unknown> = {
    tenant: { name, tier, costCentre: `cc-${1000 + i}` },
    secrets: { roleArn: `arn:aws:iam::${account}:role/llmcharts-tenant-${name}`, region: pick(regions) },
  };
  values.exposure =
    next() < 0.3
      ? { type: "gateway", host: `${name}.ai.example.com`, gateway: { name: "public", namespace: "gateway-system" } }
      : {
          host: `${name}.chat.example.com`,
          ingress: { tlsSecretName: `${name}-tls`, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } },
        };
  const openwebui: Record<string, unknown> = {};
  if (next() < 0.3) {
    openwebui.oidc = {
      enabled: true,
      providerUrl: `https://login.example.com/realms/${name}/.well-known/openid-configuration`,
      clientId: `openwebui-${name}`,
      providerName: "SSO",
      cidrs: [`${subnet}.0/24`],
    };
  }
  if (next() < 0.2) openwebui.openai = { enabled: true, baseUrl: "https://api.openai.com/v1", cidrs: ["0.0.0.0/0"] };
  if (next() < 0.15) {
    Object.assign(openwebui, {
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 + Math.floor(next() * 4) },
      persistence: { accessMode: "ReadWriteMany", storageClass: "efs-openwebui" },
      database: { type: "postgres", cidrs: [`${subnet}.0/24`] },
      redis: { enabled: true, cidrs: [`${subnet}.0/24`] },
      vectorDb: "pgvector",
    });
  }
  if (Object.keys(openwebui).length > 0) values.openwebui = openwebui;
  const ollama: Record<string, unknown> = {};
  if (tier !== "premium") {
    ollama.standard = {
      model: pick(standardModels),
      autoscaling: { minReplicas: 1, maxReplicas: 2 + Math.floor(next() * 4) },
    };
  }
  if (tier !== "standard") {
    const gpus = next() < 0.8 ? 1 : 2;
    const replicas = 1 + Math.floor(next() * 2);
    values.quota = { gpus: gpus * replicas, requestsMemoryGi: 160, limitsMemoryGi: 224 };
    ollama.premium = {
      model: pick(premiumModels),
      gpus,
      scaling: {
        maxReplicas: replicas,
        ...(next() < 0.4 ? { cron: { enabled: true, timezone: "Europe/Berlin", desiredReplicas: 1 } } : {}),
      },
    };
  } else if (next() < 0.3) {
    values.quota = { requestsCpu: 8 + Math.floor(next() * 24), limitsCpu: 64, pods: 20 + Math.floor(next() * 20) };
  }
  // The platform's one cache: every tenant names the same EFS access point.
  ollama.modelCache = { volumeHandle: "fs-0a1b2c3d4e5f60718::fsap-0a1b2c3d4e5f60718" };
  values.ollama = ollama;
  return values;
};

/** Writes `count` tenants under `dir` and returns their values files. */
export const writeFleet = (dir: string, count: number, seed = 20261201): string[] => {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const values = tenantValues(i, next);
    const file = join(dir, (values.tenant as { name: string }).name, "values.yaml");
    mkdirSync(join(file, ".."), { recursive: true });
    // YAML 1.1, as Helm reads it (a plain `on` or `y` must not turn into a boolean).
    writeFileSync(file, stringify(values, { version: "1.1" }));
    return file;
  });
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, count = "1000", seed] = process.argv.slice(2);
  if (!dir) throw new Error("usage: npx tsx scripts/fleet.ts DIR [COUNT] [SEED]");
  const files = writeFleet(dir, Number(count), seed ? Number(seed) : undefined);
  console.log(`wrote ${files.length} tenant values files under ${dir}`);
}
