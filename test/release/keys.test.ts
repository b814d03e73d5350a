/**
 * The release's public key: the repository's KEYS file, the fingerprint every chart README shows, the README's
 * import commands, and the key `package --sign` / `publish --sign` sign with.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { releaseKeyring } from "../../src/generate/readme.js";
import { readPublicKeys } from "../../src/lib/openpgp-keys.js";
import { chartReadmePath, sectionBlocks } from "../../src/lib/readme-claims.js";
import { runShellBlock } from "../../src/lib/readme-runner.js";
import { run } from "../../src/lib/run.js";
import { isolatedHelmEnv, packageCharts } from "../../src/release/package.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");
const keysFile = join(root, "KEYS");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-keys-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** gpg in a GnuPG home of its own (never the operator's). */
const gpgIn = (home: string) => (args: string[]) =>
  run(requireBin("gpg"), ["--batch", "--no-tty", ...args], { env: { ...process.env, GNUPGHOME: home } });
const freshHome = (name: string): string => mkdtempSync(join(scratch, `${name}-`));

/** Primary keys as gpg lists them: `pub` (public) or `sec` (secret), with fingerprint and user IDs. */
const gpgShowKeys = async (file: string) => {
  const out = (await gpgIn(freshHome("show"))(["--with-colons", "--show-keys", file])).stdout;
  return out
    .split(/^(?=pub:|sec:)/m)
    .filter((b) => /^(pub|sec):/.test(b))
    .map((b) => ({
      kind: b.slice(0, 3),
      fingerprint: /^fpr:+([0-9A-F]{40}):/m.exec(b)?.[1],
      userIds: [...b.matchAll(/^uid:(?:[^:]*:){8}([^:]+):/gm)].map((m) => m[1]),
    }));
};

const readmeOf = (chart: string) =>
  chartFiles(charts[chart] as NonNullable<(typeof charts)[string]>, root)["README.md"] as string;

/** The chart README's "The release key" blocks that run (the download of KEYS is marked not run). */
const releaseKeyBlocks = (chart: string) =>
  sectionBlocks(root, chartReadmePath(chart), "The release key").filter((b) => !b.notRun);

describe("the release key", { timeout: 60_000 }, () => {
  it("KEYS holds public keys only, and gpg reads from it the fingerprint and user ID the READMEs are generated from", async () => {
    const shown = await gpgShowKeys(keysFile);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.map((k) => k.kind)).toEqual(shown.map(() => "pub"));
    expect(readPublicKeys(readFileSync(keysFile, "utf8"))).toEqual(
      shown.map((k) => ({ fingerprint: k.fingerprint, userIds: k.userIds })),
    );
  });

  for (const chart of Object.keys(charts)) {
    it(`${chart}: the README shows the KEYS fingerprint, imports KEYS and exports exactly that key for --keyring`, async () => {
      const [key] = await gpgShowKeys(keysFile);
      const readme = readmeOf(chart);
      expect(readme).toContain(`| ${key?.userIds[0]} | \`${key?.fingerprint}\` |`);
      const blocks = releaseKeyBlocks(chart);
      expect(blocks.map((b) => b.script.split("\n")[0])).toEqual(["gpg --import KEYS"]);
      expect(readme).toMatch(new RegExp(`--verify --keyring ${releaseKeyring}\\n`));

      // The README's commands, as written, in a fresh GnuPG home holding KEYS, which the marked block downloads.
      const dir = freshHome(`readme-${chart}`);
      copyFileSync(keysFile, join(dir, "KEYS"));
      let stdout = "";
      for (const b of blocks) stdout += await runShellBlock(b, { cwd: dir, env: { ...process.env, GNUPGHOME: dir } });
      expect(stdout.replace(/\s/g, "")).toContain(key?.fingerprint);
      const exported = await gpgShowKeys(join(dir, releaseKeyring));
      expect(exported.map((k) => k.fingerprint)).toEqual([key?.fingerprint]);
    });
  }

  // The release key's secret part is not in the repository: with it (its GnuPG home in LLMCHARTS_RELEASE_GNUPGHOME),
  // the signed archives verify with the keyring the README's commands make. Without it, package.test.ts proves that
  // no other key can sign.
  it.skipIf(!process.env.LLMCHARTS_RELEASE_GNUPGHOME)(
    "package --sign with the release key: each archive verifies with the README's keyring",
    async () => {
      const [key] = await gpgShowKeys(keysFile);
      const keyring = join(scratch, releaseKeyring);
      const home = freshHome("operator");
      expect((await gpgIn(home)(["--import", keysFile])).exitCode).toBe(0);
      await gpgIn(home)(["--yes", "--output", keyring, "--export", key?.fingerprint as string]);
      const signed = await packageCharts({
        root,
        outDir: join(scratch, "release-signed"),
        sign: { key: key?.fingerprint, gnupgHome: process.env.LLMCHARTS_RELEASE_GNUPGHOME },
      });
      const helmEnv = isolatedHelmEnv(join(scratch, "helm"));
      for (const a of signed) {
        const verified = await run(requireBin("helm"), ["verify", a.archive, "--keyring", keyring], { env: helmEnv });
        expect(verified.exitCode, verified.stderr).toBe(0);
        expect(verified.stdout).toContain(key?.userIds[0]);
      }
    },
  );
});
