/**
 * `llmcharts package`: real `helm package`, real GnuPG with a throwaway key standing for the operator's keyring,
 * real `helm verify`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { readPublicKeys } from "../../src/lib/openpgp-keys.js";
import { run } from "../../src/lib/run.js";
import { isolatedHelmEnv, packageCharts } from "../../src/release/package.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { makeThrowawayKey, type ThrowawayKey } from "../../src/release/throwaway-key.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-package-test-"));
const helmEnv = isolatedHelmEnv(join(scratch, "helm"));
const helm = (args: string[]) => run(requireBin("helm"), args, { env: helmEnv });
const expected = Object.values(charts).map((c) => `${c.name}-${c.version}.tgz`);
let key: ThrowawayKey;
let savedGnupgHome: string | undefined;

beforeAll(async () => {
  key = await makeThrowawayKey();
  // The operator's keyring, as their environment names it.
  savedGnupgHome = process.env.GNUPGHOME;
  process.env.GNUPGHOME = key.gnupgHome;
}, 60_000);

afterAll(async () => {
  if (savedGnupgHome === undefined) delete process.env.GNUPGHOME;
  else process.env.GNUPGHOME = savedGnupgHome;
  await key.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("llmcharts package", { timeout: 120_000 }, () => {
  it("writes one archive per chart, byte-identical when packaged again", async () => {
    const first = await packageCharts({ root, outDir: join(scratch, "first") });
    // A fresh checkout has other file times: the archive must not carry them.
    const second = await packageCharts({ root, outDir: join(scratch, "second") });
    expect(readdirSync(join(scratch, "first")).sort()).toEqual([...expected].sort());
    for (const [i, a] of first.entries()) {
      expect(readFileSync(a.archive).equals(readFileSync(second[i]?.archive as string)), a.chart).toBe(true);
      expect(a.provenance).toBeUndefined();
    }
    const tenant = first.find((a) => a.chart === "tenant");
    const shown = await helm(["show", "chart", tenant?.archive as string]);
    expect(parse(shown.stdout).version).toBe(charts.tenant?.version);
    // Every entry carries the one fixed time, whatever the files' times on disk.
    const listing = await run("tar", ["--full-time", "-tvzf", tenant?.archive as string]);
    const times = new Set(
      listing.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(/\s+/).slice(3, 5).join(" ")),
    );
    expect([...times]).toEqual(["2000-01-01 00:00:00"]);
  });

  it("signs each archive with the operator's key; helm verify passes, and fails on a tampered archive", async () => {
    const signed = await packageCharts({
      root,
      outDir: join(scratch, "signed"),
      sign: { key: key.email, keys: key.keys },
    });
    const pubring = join(scratch, "pubring.gpg");
    await run(requireBin("gpg"), ["--batch", "--yes", "--output", pubring, "--export", key.email], { env: key.env });
    for (const a of signed) {
      expect(existsSync(a.provenance as string), a.chart).toBe(true);
      const verified = await helm(["verify", a.archive, "--keyring", pubring]);
      expect(verified.exitCode, verified.stderr).toBe(0);
      expect(verified.stdout).toContain(key.email);
    }
    // The archived Chart.yaml names the key that signed it, for Artifact Hub.
    const tenant = signed.find((a) => a.chart === "tenant");
    const chartYaml = parse((await helm(["show", "chart", tenant?.archive as string])).stdout);
    const fingerprint = (
      await run(requireBin("gpg"), ["--batch", "--with-colons", "--fingerprint", key.email], { env: key.env })
    ).stdout.match(/^fpr:+([0-9A-F]{40}):/m)?.[1];
    expect(chartYaml.annotations["artifacthub.io/signKey"]).toContain(`fingerprint: ${fingerprint}`);

    const bytes = readFileSync(tenant?.archive as string);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(tenant?.archive as string, bytes);
    const tampered = await helm(["verify", tenant?.archive as string, "--keyring", pubring]);
    expect(tampered.exitCode).not.toBe(0);
  });

  it("refuses a signing key the keyring does not hold, naming it, and writes nothing", async () => {
    const out = join(scratch, "no-key");
    await expect(packageCharts({ root, outDir: out, sign: { key: "nobody@llmcharts.invalid" } })).rejects.toThrow(
      /signing key "nobody@llmcharts.invalid" is not in the GnuPG keyring .*llmcharts-gnupg-.*: import it \(gpg --import\)/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a signing key that KEYS does not hold (the READMEs' keys), naming both, and writes nothing", async () => {
    const out = join(scratch, "not-in-keys");
    const [release] = readPublicKeys(readFileSync(join(root, "KEYS"), "utf8"));
    await expect(packageCharts({ root, outDir: out, sign: { key: key.email } })).rejects.toThrow(
      new RegExp(
        `signing key [0-9A-F]{40} \\(llmcharts test <${key.email}>\\) is not in ${join(root, "KEYS")}, the public keys ` +
          `the charts' READMEs tell operators to verify with \\(${release?.fingerprint}\\)`,
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses to sign without a key named by --key or LLMCHARTS_SIGNING_KEY", async () => {
    const out = join(scratch, "unnamed");
    await expect(packageCharts({ root, outDir: out, sign: {} })).rejects.toThrow(
      /--sign needs a signing key: pass --key NAME or set LLMCHARTS_SIGNING_KEY/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("the CLI packages into --out and prints one summary line", async () => {
    const out = join(scratch, "cli");
    const res = await run(
      process.execPath,
      [join(root, "bin", "llmcharts.js"), "package", "--out", out, "--sign", "--key", key.email, "--keys", key.keys],
      {
        cwd: scratch,
        env: { ...process.env, ...helmEnv },
      },
    );
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout.trim().split("\n").at(-1)).toBe(
      `${expected.length} passed, 0 failed: packaged into cli (signed, verified)`,
    );
    expect(readdirSync(out).filter((f) => f.endsWith(".prov"))).toHaveLength(expected.length);
  });
});
