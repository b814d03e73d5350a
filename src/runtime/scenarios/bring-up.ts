/**
 * bring-up: the control plane with the lab's real nodes, the images built here imported into each node's containerd
 * (no registry), the tiny model in the node's cache directory, the pinned CRDs, and the platform chart installed.
 */
import { join } from "node:path";
import { installCrds } from "../../install/crds.js";
import { buildImages, importImages } from "../../images/build.js";
import { busyboxImage, kedaHttpInterceptorImage, ollamaImage, openwebuiImage } from "../../images/catalog.js";
import { nodePaths } from "../../node/config.js";
import { labNodes } from "../../node/lab-nodes.js";
import { requireBin } from "../../toolchain/tools.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { prepareModelCache } from "../model.js";
import { runtimeStandIns } from "../standin-names.js";

/** Namespaces other components would have made before the platform chart (monitoring, the device plugin). */
const prerequisiteNamespaces = ["monitoring", "nvidia-device-plugin", "tenants"];

/** The images built (cached by content), the cluster up with the lab's nodes, each image imported where it runs. */
const upWithLabImages = async (ctx: RuntimeContext) => {
  const images = await buildImages(
    [busyboxImage.name, ollamaImage.name, openwebuiImage.name, kedaHttpInterceptorImage.name],
    ctx.log,
  );
  await ctx.up();
  const stateDir = ctx.info?.stateDir ?? "";
  // OpenWebUI runs on standard nodes only: the premium node gets Ollama and the probe image.
  for (const [i, n] of labNodes(true).entries()) {
    const wanted = images.filter((img) => i === 0 || img.name !== openwebuiImage.name);
    await importImages(
      requireBin("ctr"),
      nodePaths(stateDir, n.suffix).containerdSocket,
      wanted.map((img) => img.archive),
    );
  }
  ctx.log(`images imported: ${images.map((img) => img.name).join(", ")}`);
};

export const bringUp: RuntimeScenario = {
  id: "bring-up",
  title: "a real node joined to the control plane, images imported, CRDs applied, the platform installed",
  withoutCluster: true,
  run: async (ctx, r) => {
    await r.step("cluster up with the lab's real nodes, images imported", () => upWithLabImages(ctx));
    if (!ctx.kube) return;
    r.standIn(runtimeStandIns.gpu);
    r.standIn(runtimeStandIns.modelPull);
    await r.step(`tiny model written into the node's model cache`, () =>
      prepareModelCache(ctx.modelCacheDir, join(ctx.opts.workDir, "model")),
    );
    await r.step("CRDs applied", () => installCrds(ctx.k));
    for (const ns of prerequisiteNamespaces) await ctx.k.kubectl(["create", "namespace", ns]);
    await r.step("platform installed", () =>
      ctx.h.install({
        release: "platform",
        chartDir: ctx.chartDir("platform"),
        namespace: "tenants",
        valuesFiles: [join(ctx.opts.root, "test", "runtime", "values", "lab-platform.yaml")],
      }),
    );
  },
};
