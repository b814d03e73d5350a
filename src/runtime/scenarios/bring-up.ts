/**
 * bring-up: the control plane with the lab's real nodes, the images built here imported into each node's containerd
 * (no image registry), the tiny models pushed to the lab's model registry, the pinned CRDs, the ingress controller
 * (Traefik, as an operator installs it before any tenant) and the platform chart installed (its pull Jobs then fill
 * the node's cache: models-pulled).
 */
import { join } from "node:path";
import { installCrds } from "../../install/crds.js";
import { buildImages, importImages } from "../../images/build.js";
import {
  alertmanagerImage,
  blackboxExporterImage,
  busyboxImage,
  kedaHttpInterceptorImage,
  kubeStateMetricsImage,
  ollamaImage,
  openwebuiImage,
  otelcolImage,
  prometheusConfigReloaderImage,
  prometheusImage,
  traefikImage,
} from "../../images/catalog.js";
import { nodePaths } from "../../node/config.js";
import { labNodes } from "../../node/lab-nodes.js";
import { requireBin } from "../../toolchain/tools.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { pushTinyModels, tinyModel, tinyModelNext } from "../model.js";
import { runIngressController } from "../ingress-controller.js";
import { applyLabPlatform } from "../platform.js";
import { labModelNames } from "./lab-from-readme.js";
import { runtimeStandIns } from "../standin-names.js";

/** Namespaces other components would have made before the platform chart (monitoring, the device plugin). */
const prerequisiteNamespaces = ["monitoring", "nvidia-device-plugin", "tenants"];

/** The images built (cached by content), the cluster up with the lab's nodes, each image imported where it runs. */
const upWithLabImages = async (ctx: RuntimeContext) => {
  const images = await buildImages(
    [
      busyboxImage,
      ollamaImage,
      openwebuiImage,
      kedaHttpInterceptorImage,
      // The monitoring stack (alerts-fire), which runs on the standard node.
      prometheusImage,
      alertmanagerImage,
      prometheusConfigReloaderImage,
      blackboxExporterImage,
      kubeStateMetricsImage,
      // The ingress controller users reach every tenant through, on the standard node too.
      traefikImage,
      // The log collector (logs-shipped), on the standard node, where the tenants' OpenWebUI runs.
      otelcolImage,
    ].map((i) => i.name),
    ctx.log,
  );
  await ctx.up();
  const stateDir = ctx.info?.stateDir ?? "";
  // OpenWebUI and the monitoring stack run on standard nodes only: the premium node gets Ollama and the probe image.
  const premiumNodeImages = [busyboxImage, ollamaImage, kedaHttpInterceptorImage].map((i) => i.name);
  for (const [i, n] of labNodes(true).entries()) {
    const wanted = images.filter((img) => i === 0 || premiumNodeImages.includes(img.name));
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
    await r.step("the lab's model registry up, the tiny models pushed to it by Ollama", async () => {
      const registry = await ctx.models();
      await pushTinyModels(registry.host, join(ctx.opts.workDir, "model"), [
        tinyModel,
        tinyModelNext,
        ...labModelNames(ctx.opts.root),
      ]);
    });
    await r.step("CRDs applied", () => installCrds(ctx.k));
    for (const ns of prerequisiteNamespaces) await ctx.k.kubectl(["create", "namespace", ns]);
    await r.step("the ingress controller (Traefik) runs, as its chart would install it", () =>
      runIngressController(ctx.k, ctx.labTls.serving),
    );
    await r.step("platform installed", () => applyLabPlatform(ctx, undefined, "install"));
  },
};
