/**
 * `llmcharts publish` against a real OCI registry (the pinned CNCF distribution registry on a loopback port, with
 * its own config and storage in a temporary directory), with a throwaway signing key.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { freePorts } from "../../src/cluster/ports.js";
import { httpGet } from "../../src/cluster/probe.js";
import { run } from "../../src/lib/run.js";
import { isolatedHelmEnv, packageCharts, sha256File } from "../../src/release/package.js";
import { PublishError, publishCharts } from "../../src/release/publish.js";
import { type LocalRegistry, startRegistry } from "../../src/cluster/registry.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { makeThrowawayKey, type ThrowawayKey } from "../../src/release/throwaway-key.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-publish-test-"));
const helmEnv = isolatedHelmEnv(join(scratch, "helm"));
const helm = (args: string[]) => run(requireBin("helm"), args, { env: helmEnv });
const tenant = charts.tenant as NonNullable<(typeof charts)["tenant"]>;
const registries: LocalRegistry[] = [];
let key: ThrowawayKey;
let pubring: string;
let savedGnupgHome: string | undefined;

const registry = async (name: string, opts: { readOnly?: boolean } = {}) => {
  const r = await startRegistry({ dir: join(scratch, name), ...opts });
  registries.push(r);
  return r;
};
const repositories = async (r: LocalRegistry): Promise<string[]> =>
  (JSON.parse((await httpGet(`http://${r.host}/v2/_catalog`)).body) as { repositories: string[] }).repositories;
const publish = (r: { url: string }, sign = true) =>
  publishCharts({ root, registry: r.url, sign: sign ? { key: key.email, keys: key.keys } : undefined, helmEnv });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("publish succeeded, but it should have failed");
    },
    (err: Error) => err,
  );

beforeAll(async () => {
  key = await makeThrowawayKey();
  savedGnupgHome = process.env.GNUPGHOME;
  process.env.GNUPGHOME = key.gnupgHome;
  pubring = join(scratch, "pubring.gpg");
  await run(requireBin("gpg"), ["--batch", "--yes", "--output", pubring, "--export", key.email], { env: key.env });
}, 60_000);

afterAll(async () => {
  for (const r of registries) await r.stop();
  if (savedGnupgHome === undefined) delete process.env.GNUPGHOME;
  else process.env.GNUPGHOME = savedGnupgHome;
  await key.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("llmcharts publish", { timeout: 180_000 }, () => {
  it("pushes every chart signed; pulled back with --verify, the bytes are the packaged ones", async () => {
    const r = await registry("main");
    const published = await publish(r);
    expect(published.map((p) => `${p.chart} ${p.outcome} ${p.signed}`).sort()).toEqual(
      Object.keys(charts)
        .map((c) => `${c} pushed true`)
        .sort(),
    );
    expect((await repositories(r)).sort()).toEqual(
      Object.keys(charts)
        .map((c) => `charts/${c}`)
        .sort(),
    );
    const pulled = join(scratch, "pulled");
    mkdirSync(pulled, { recursive: true });
    const res = await helm([
      "pull",
      `${r.url}/tenant`,
      "--version",
      tenant.version,
      "--verify",
      "--keyring",
      pubring,
      "--plain-http",
      "--destination",
      pulled,
    ]);
    expect(res.exitCode, res.stderr).toBe(0);
    const [local] = await packageCharts({
      root,
      outDir: join(scratch, "local"),
      sign: { key: key.email, keys: key.keys },
      only: ["tenant"],
    });
    expect(sha256File(join(pulled, `tenant-${tenant.version}.tgz`))).toBe(local?.sha256);

    // Publishing the same sources again changes nothing.
    const again = await publish(r);
    expect(again.every((p) => p.outcome === "unchanged")).toBe(true);
  });

  it("refuses a version already there with other contents, naming chart and version, and pushes nothing", async () => {
    const r = await registry("conflict");
    // Someone published tenant at this version from other sources.
    const other = join(scratch, "other", "tenant");
    cpSync(join(root, "generated", "tenant"), other, { recursive: true });
    writeFileSync(join(other, "README.md"), `${readFileSync(join(other, "README.md"), "utf8")}\nAnother build.\n`);
    const packed = await helm(["package", other, "--destination", join(scratch, "other")]);
    expect(packed.exitCode, packed.stderr).toBe(0);
    const pushed = await helm(["push", join(scratch, "other", `tenant-${tenant.version}.tgz`), r.url, "--plain-http"]);
    expect(pushed.exitCode, pushed.stderr).toBe(0);

    const err = await failure(publish(r));
    expect(err).toBeInstanceOf(PublishError);
    expect(err.message).toMatch(
      new RegExp(
        `tenant ${tenant.version}: ${r.url}/tenant:${tenant.version} already exists with other contents .*bump version in charts-src/tenant/chart.ts and add its CHANGELOG.md entry`,
      ),
    );
    expect(err.message).toMatch(/nothing was published$/);
    expect(await repositories(r)).toEqual(["charts/tenant"]);
  });

  it("fails on an unreachable registry, naming each chart and version, and what to check", async () => {
    const [port] = await freePorts(1);
    const err = await failure(publish({ url: `oci://127.0.0.1:${port}/charts` }, false));
    for (const c of Object.values(charts))
      expect(err.message).toContain(`${c.name} ${c.version}: cannot read oci://127.0.0.1:${port}/charts/${c.name}`);
    expect(err.message).toMatch(/connection refused/);
    expect(err.message).toMatch(/check the address, that the registry is up and reachable, and your login/);
  });

  it("fails when the registry refuses the push, and nothing is published", async () => {
    const r = await registry("read-only", { readOnly: true });
    const err = await failure(publish(r));
    expect(err.message).toMatch(
      /: the registry refused the push to oci:\/\/127\.0\.0\.1:\d+\/charts .*check your write access/,
    );
    expect(err.message).toMatch(/nothing was published$/);
    expect(await repositories(r)).toEqual([]);
  });

  it("fails without the signing key before it talks to the registry", async () => {
    const r = await registry("no-key");
    const err = await failure(
      publishCharts({ root, registry: r.url, sign: { key: "nobody@llmcharts.invalid" }, helmEnv }),
    );
    expect(err.message).toMatch(/signing key "nobody@llmcharts.invalid" is not in the GnuPG keyring/);
    expect(await repositories(r)).toEqual([]);
  });

  it("refuses a registry address that is not oci://HOST/PATH", async () => {
    const err = await failure(publish({ url: "https://ghcr.io/acme/charts" }, false));
    expect(err.message).toBe(
      '--registry: "https://ghcr.io/acme/charts" is not an OCI registry reference; use oci://HOST[:PORT]/PATH, e.g. oci://ghcr.io/acme/charts',
    );
  });
});
