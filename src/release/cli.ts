import { relative, resolve } from "node:path";
import { type Command, Option } from "commander";
import { charts } from "../../charts-src/index.js";
import { packageRoot } from "../lib/package-root.js";
import { packageCharts } from "./package.js";
import { type ImageToPublish, PublishError, publishCharts } from "./publish.js";
import { signingEnv } from "./signing.js";

interface SignFlags {
  sign?: boolean;
  key?: string;
  passphraseFile?: string;
  keyUrl?: string;
  keys?: string;
  chart?: string[];
}

const signingFlags = (cmd: Command): Command =>
  cmd
    .option("--sign", "sign each archive with your GnuPG key (a Helm provenance file), verified before it counts")
    .option("--key <name>", `user ID, e-mail or fingerprint of the signing key (or ${signingEnv.key})`)
    .option("--passphrase-file <file>", `file holding the key's passphrase (or ${signingEnv.passphraseFile})`)
    .option("--keys <file>", "the public keys operators verify with, which must hold the signing key (default: KEYS)")
    .option(
      "--key-url <url>",
      "where your public key is published, for Artifact Hub's signKey (default keys.openpgp.org)",
    )
    .addOption(new Option("--chart <name...>", "only these charts").choices(Object.keys(charts)));

const packageOptions = (opts: SignFlags) => ({
  root: packageRoot,
  sign: opts.sign
    ? { key: opts.key, passphraseFile: opts.passphraseFile, keys: opts.keys ? resolve(opts.keys) : undefined }
    : undefined,
  keyUrl: opts.keyUrl,
  only: opts.chart,
  log: (line: string) => console.log(line),
});

/**
 * Adds `package` and `publish`. `validatorImage` builds (or finds cached) the image `publish` pushes with the charts:
 * the CLI, which sees the image builds, hands it over (release itself knows no image build).
 */
export const registerReleaseCommands = (
  program: Command,
  validatorImage?: (log: (line: string) => void) => Promise<ImageToPublish>,
): void => {
  signingFlags(
    program
      .command("package")
      .description("helm package each generated chart into <chart>-<version>.tgz (byte-identical when unchanged)")
      .option("--out <dir>", "write the archives here", "dist"),
  ).action(async (opts: SignFlags & { out: string }) => {
    const outDir = resolve(opts.out);
    const archives = await packageCharts({ ...packageOptions(opts), outDir });
    console.log(
      `${archives.length} passed, 0 failed: packaged into ${relative(process.cwd(), outDir) || "."}${opts.sign ? " (signed, verified)" : ""}`,
    );
  });

  signingFlags(
    program
      .command("publish")
      .description("package every chart, then helm push each to an OCI registry (nothing is pushed unless all pass)")
      .requiredOption("--registry <oci://host/path>", "the OCI registry and repository path to push to")
      .option("--plain-http", "use HTTP instead of HTTPS (the default for a loopback registry)")
      .option("--no-image", "push the charts only, not the validator image (<registry>/validator:<llmcharts version>)"),
  ).action(async (opts: SignFlags & { registry: string; plainHttp?: boolean; image: boolean }) => {
    try {
      const image = opts.image && validatorImage ? await validatorImage((line) => console.error(line)) : undefined;
      const published = await publishCharts({
        ...packageOptions(opts),
        registry: opts.registry,
        plainHttp: opts.plainHttp,
        image,
      });
      const pushed = published.filter((p) => p.outcome === "pushed").length;
      console.log(`${published.length} passed, 0 failed: ${pushed} pushed, ${published.length - pushed} already there`);
    } catch (err) {
      if (!(err instanceof PublishError)) throw err;
      console.error(`error: ${err.message}`);
      console.log(`${err.published.length} passed, ${err.problems.length - 1} failed`);
      process.exitCode = 1;
    }
  });
};
