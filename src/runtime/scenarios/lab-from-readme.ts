/**
 * lab-from-readme: README.md's "Lab: one node, no cloud services", run as written. The suite's own releases go
 * first, so the lab starts from a cluster with no chart installed; then each of the section's shell blocks runs in
 * order, in bash (errexit), from a directory holding the repository's generated charts, and the last one's chat must
 * be answered. The blocks the README marks as not run by the tests are skipped and listed. Then the tenant README's
 * command that finds the API server's addresses runs against the same cluster and must print its address and port.
 *
 * This machine has no internet: the section's offline variant pulls the models from the lab's registry (the tiny
 * model under the lab's model names), and the images built here are on the node under their upstream names, as an
 * operator would load them (named as a stand-in).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { mergeValues } from "../../../charts-src/lib/engine/index.js";
import { busyboxImage, ollamaImage, openwebuiImage } from "../../images/catalog.js";
import { sectionBlocks } from "../../lib/readme-claims.js";
import type { ShellBlock } from "../../lib/readme-commands.js";
import { firstLine, runShellBlock } from "../../lib/readme-runner.js";
import { requireBin } from "../../toolchain/tools.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { tagUnderUpstreamNames } from "../node-images.js";
import { runtimeStandIns } from "../standin-names.js";

export const labSection = "Lab: one node, no cloud services";
/** The tenant README's section on finding `network.apiServer`, run here too: it needs a cluster. */
const apiServerSection = "The API server's addresses";

/** The lab section's shell blocks, in order. */
export const labBlocks = (root: string): ShellBlock[] => sectionBlocks(root, "README.md", labSection);

interface Image {
  repository: string;
  tag: string;
}
interface LabValues {
  openwebui: { image: Image };
  ollama: { image: Image };
  tests: { image: Image };
  modelCache: { image: Image; models: { name: string; tag: string }[] };
}

/** A generated chart's defaults under its shipped values-lab.yaml: the values the README installs it with. */
const labValues = (root: string, chart: "platform" | "tenant"): LabValues => {
  const read = (file: string) => parse(readFileSync(join(root, "generated", chart, file), "utf8"));
  return mergeValues(read("values.yaml"), read("values-lab.yaml")) as LabValues;
};

/** The names the lab's values pull each image by (the charts' defaults), with the image built here for it. */
const upstreamImages = (root: string): [built: string, upstream: string][] => {
  const tenant = labValues(root, "tenant");
  const ref = (i: Image) => `${i.repository}:${i.tag}`;
  return [
    [openwebuiImage.config.ref, ref(tenant.openwebui.image)],
    [ollamaImage.config.ref, ref(tenant.ollama.image)],
    [ollamaImage.config.ref, ref(labValues(root, "platform").modelCache.image)],
    [busyboxImage.config.ref, ref(tenant.tests.image)],
  ];
};

/** The lab's models, `name:tag`: what the registry must hold under those names. */
export const labModelNames = (root: string): string[] =>
  labValues(root, "platform").modelCache.models.map((m) => `${m.name}:${m.tag}`);

/** Every release of the suite uninstalled: a cluster with no chart installed (the namespaces the charts keep stay). */
const uninstallSuiteReleases = async (ctx: RuntimeContext): Promise<true> => {
  for (const rel of await ctx.h.list()) await ctx.h.uninstall(rel.name, rel.namespace);
  return true;
};

/** The node directories the README makes (removed afterwards when the lab made them). */
const labHostDirs = ["/var/lib/llmcharts"];

export const labFromReadme: RuntimeScenario = {
  id: "lab-from-readme",
  title: "README.md's one-node lab, its commands run as written, from no chart installed to an answered chat",
  timeoutMs: 30 * 60_000,
  run: async (ctx, r) => {
    r.standIn(runtimeStandIns.internet);
    const registry = await ctx.models();
    if (!(await r.step("the suite's releases uninstalled", () => uninstallSuiteReleases(ctx)))) return;
    const loaded = await r.step("the images built here on the nodes under their upstream names", async () => {
      // OpenWebUI's image is only on the standard node.
      await tagUnderUpstreamNames(ctx, upstreamImages(ctx.opts.root), { standardOnly: [openwebuiImage.config.ref] });
      return true;
    });
    if (!loaded) return;
    const made = labHostDirs.filter((d) => !existsSync(d));
    const cwd = mkdtempSync(join(tmpdir(), "llmcharts-lab-readme-"));
    symlinkSync(join(ctx.opts.root, "generated"), join(cwd, "generated"));
    const env = {
      ...process.env,
      KUBECONFIG: ctx.info?.kubeconfig ?? "",
      MODEL_REGISTRY: registry.inCluster,
      MODEL_REGISTRY_CIDR: `${registry.hostAddress}/32`,
      MODEL_REGISTRY_PORTS: registry.ports.join(", "),
    };
    const blocks = labBlocks(ctx.opts.root);
    r.check("the lab section has shell blocks", blocks.length > 0, `${blocks.length} blocks`);
    try {
      const start = Date.now();
      let last = "";
      for (const b of blocks) {
        if (b.notRun) {
          r.note(`README.md:${b.line} not run (${b.notRun}): ${firstLine(b)}`);
          continue;
        }
        const out = await r.step(`README.md:${b.line} runs: ${firstLine(b)}`, () =>
          runShellBlock(b, { cwd, env, path: [dirname(requireBin("helm")), dirname(requireBin("kubectl"))] }),
        );
        if (out === undefined) return;
        last = out.trim().split("\n").at(-1) ?? "";
      }
      r.figure("labFirstChatSeconds", (Date.now() - start) / 1000);
      r.check("the README's chat is answered", last !== "" && last !== "null", JSON.stringify(last));
      r.note(`the chat's answer: ${JSON.stringify(last)}`);
      await r.step("the tenant README's command prints the API server's address and port", async () => {
        const [b] = sectionBlocks(ctx.opts.root, "generated/tenant/README.md", apiServerSection);
        const out = b ? await runShellBlock(b, { cwd, env, path: [dirname(requireBin("kubectl"))] }) : "";
        const api = new URL(ctx.info?.apiserverUrl ?? "https://0.0.0.0:0");
        if (!out.split("\n").includes(`${api.hostname} ${api.port}`))
          throw new Error(`it printed ${JSON.stringify(out)}, not "${api.hostname} ${api.port}"`);
      });
    } finally {
      await ctx.h.uninstall("lab", "tenants").catch(() => "");
      await ctx.k.kubectl(["delete", "namespace", "tenant-lab", "--wait=false"]).catch(() => "");
      await ctx.k.kubectl(["delete", "persistentvolume", "lab-data-lab", "--wait=false"]).catch(() => "");
      rmSync(cwd, { recursive: true, force: true });
      for (const d of made) rmSync(d, { recursive: true, force: true });
    }
  },
};
