/**
 * The operator's signing key, from their own GnuPG keyring (GNUPGHOME or ~/.gnupg), never from the repository.
 * Helm reads only the legacy keyring format, which GnuPG 2.1+ no longer keeps, so the one key asked for is exported
 * into a private temporary keyring for `helm package --sign`. It must be one of the public keys of the KEYS file
 * (the repository's, whose fingerprints the READMEs show): `helm verify` checks every signed archive with a keyring
 * made from that file the way the READMEs tell operators to make theirs, so a release verifies for them.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";

/** Environment variables an operator sets instead of flags. */
export const signingEnv = {
  key: "LLMCHARTS_SIGNING_KEY",
  passphraseFile: "LLMCHARTS_SIGNING_PASSPHRASE_FILE",
} as const;

export interface SigningKey {
  /** A user ID of the key (Helm picks the key by user ID). */
  uid: string;
  fingerprint: string;
  /** Legacy-format keyring holding only this secret key (mode 0600, in a temporary directory). */
  secretKeyring: string;
  /** Legacy-format keyring holding the KEYS file's public keys (this one among them), for `helm verify`. */
  publicKeyring: string;
  passphraseFile?: string;
}

export interface SigningOptions {
  /** User ID, e-mail or fingerprint of a secret key in the operator's GnuPG keyring. */
  key?: string;
  passphraseFile?: string;
  /** The keyring's directory (default: GNUPGHOME, or ~/.gnupg). */
  gnupgHome?: string;
  /** The public keys operators verify with (an armored key file such as the repository's KEYS); the key must be one. */
  keys?: string;
}

const keyringHome = (opts: SigningOptions): string => opts.gnupgHome ?? process.env.GNUPGHOME ?? "~/.gnupg";

/** The signing key's name from the option or the environment, or an error saying how to give one. */
export const signingKeyName = (opts: SigningOptions): string => {
  const name = opts.key ?? process.env[signingEnv.key];
  if (!name)
    throw new Error(
      `--sign needs a signing key: pass --key NAME or set ${signingEnv.key} to a secret key of your GnuPG keyring ` +
        `(${keyringHome(opts)}); list them with: gpg --list-secret-keys`,
    );
  return name;
};

const gpg = async (opts: SigningOptions, args: string[]) =>
  run(requireBin("gpg"), ["--batch", "--no-tty", ...args], {
    env: opts.gnupgHome ? { ...process.env, GNUPGHOME: opts.gnupgHome } : process.env,
  });

/** Exports the named secret key into `dir` for Helm; fails, naming the key and the keyring, when it is not there. */
export const exportSigningKey = async (opts: SigningOptions, dir: string): Promise<SigningKey> => {
  const name = signingKeyName(opts);
  const passphraseFile = opts.passphraseFile ?? process.env[signingEnv.passphraseFile];
  const listed = await gpg(opts, ["--with-colons", "--list-secret-keys", name]);
  const fingerprints = [...listed.stdout.matchAll(/^sec:(?:[^\n]*)\nfpr:+([0-9A-F]{40}):/gm)].map(
    (m) => m[1] as string,
  );
  if (listed.exitCode !== 0 || fingerprints.length === 0)
    throw new Error(
      `signing key "${name}" is not in the GnuPG keyring ${keyringHome(opts)}: import it (gpg --import) or name another ` +
        "with --key; list them with: gpg --list-secret-keys",
    );
  if (fingerprints.length > 1)
    throw new Error(
      `signing key "${name}" matches ${fingerprints.length} secret keys (${fingerprints.join(", ")}): name one by its fingerprint`,
    );
  const fingerprint = fingerprints[0] as string;
  const uid = /^uid:[^:]*:(?:[^:]*:){7}([^:]+):/m.exec(listed.stdout)?.[1];
  if (!uid) throw new Error(`signing key ${fingerprint} has no user ID; Helm selects keys by user ID`);
  const unlock = passphraseFile ? ["--pinentry-mode", "loopback", "--passphrase-file", passphraseFile] : [];
  const secretKeyring = join(dir, "secring.gpg");
  const publicKeyring = join(dir, "pubring.gpg");
  // gpg writes the (binary) keyrings itself; the secret one only readable by the operator.
  writeFileSync(secretKeyring, "", { mode: 0o600 });
  const secret = await gpg(opts, [...unlock, "--yes", "--output", secretKeyring, "--export-secret-keys", fingerprint]);
  if (secret.exitCode !== 0 || statSync(secretKeyring).size === 0)
    throw new Error(
      `cannot export signing key ${fingerprint} from ${keyringHome(opts)}` +
        `${passphraseFile ? "" : ` (if it has a passphrase, set ${signingEnv.passphraseFile})`}: ${secret.stderr.trim()}`,
    );
  const trusted = await trustedKeyring(opts.keys ?? "KEYS", join(dir, "trusted"), publicKeyring);
  if (!trusted.includes(fingerprint))
    throw new Error(
      `signing key ${fingerprint} (${decodeColons(uid)}) is not in ${opts.keys ?? "KEYS"}, the public keys the ` +
        `charts' READMEs tell operators to verify with (${trusted.join(", ") || "none"}): sign with one of those, or ` +
        `add this key's public part (gpg --armor --export ${fingerprint} >> KEYS), run generate so that the READMEs ` +
        "show it, and name that file with --keys",
    );
  return { uid: decodeColons(uid), fingerprint, secretKeyring, publicKeyring, passphraseFile };
};

/**
 * The operators' keyring, made as the READMEs say (`gpg --import KEYS`, then `gpg --export` into a legacy keyring)
 * in a GnuPG home of its own, written to `keyring`. Returns the fingerprints of the keys it holds.
 */
const trustedKeyring = async (keysFile: string, home: string, keyring: string): Promise<string[]> => {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const own = { gnupgHome: home };
  const imported = await gpg(own, ["--import", keysFile]);
  if (imported.exitCode !== 0)
    throw new Error(`cannot import the public keys of ${keysFile}: ${imported.stderr.trim()}`);
  const listed = await gpg(own, ["--with-colons", "--list-keys"]);
  await gpg(own, ["--yes", "--output", keyring, "--export"]);
  return [...listed.stdout.matchAll(/^pub:(?:[^\n]*)\nfpr:+([0-9A-F]{40}):/gm)].map((m) => m[1] as string);
};

/** gpg's colon listings escape ':' and other bytes as \xNN. */
const decodeColons = (s: string): string =>
  s.replace(/\\x([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
