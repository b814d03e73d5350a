/**
 * A throwaway GnuPG key in a temporary GNUPGHOME, standing for an operator's keyring in the tests, the install
 * suite and the bench: made with the pinned gpg, removed (with the gpg-agent gpg started for it) by `remove`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

export interface ThrowawayKey {
  gnupgHome: string;
  /** The key's e-mail, which names it to `--key`. */
  email: string;
  /** The environment an operator would have: GNUPGHOME pointing at the keyring. */
  env: NodeJS.ProcessEnv;
  /** A KEYS file holding its public key (armored), for `keys` when signing with it. */
  keys: string;
  /** Writes the public key, as Helm's --keyring reads it, to `path`. */
  exportPublic: (path: string) => Promise<string>;
  remove: () => Promise<void>;
}

export const makeThrowawayKey = async (name = "llmcharts test"): Promise<ThrowawayKey> => {
  const gnupgHome = mkdtempSync(join(tmpdir(), "llmcharts-gnupg-"));
  const email = `release-test-${process.pid}@llmcharts.invalid`;
  const env = { ...process.env, GNUPGHOME: gnupgHome };
  const params = join(gnupgHome, "key-params");
  writeFileSync(
    params,
    [
      "Key-Type: eddsa",
      "Key-Curve: ed25519",
      "Key-Usage: sign",
      `Name-Real: ${name}`,
      `Name-Email: ${email}`,
      "Expire-Date: 0",
      "%no-protection",
      "%commit",
      "",
    ].join("\n"),
  );
  await runStep("gpg --gen-key", requireBin("gpg"), ["--batch", "--gen-key", params], { env });
  const keys = join(gnupgHome, "KEYS");
  await runStep(
    "gpg --export",
    requireBin("gpg"),
    ["--batch", "--yes", "--armor", "--output", keys, "--export", email],
    {
      env,
    },
  );
  const remove = async () => {
    await runStep("gpgconf --kill all", "gpgconf", ["--kill", "all"], { env }).catch(() => undefined);
    rmSync(gnupgHome, { recursive: true, force: true });
  };
  const exportPublic = async (path: string) => {
    await runStep("gpg --export", requireBin("gpg"), ["--batch", "--yes", "--output", path, "--export", email], {
      env,
    });
    return path;
  };
  return { gnupgHome, email, env, keys, exportPublic, remove };
};
