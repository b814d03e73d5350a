/**
 * models-pulled: the platform's own pull Jobs fill the node's model cache from the lab's private registry (pushed
 * there by Ollama), each model into its tier's catalog under its catalog name; nothing writes the cache by hand. A
 * model the registry does not hold fails its Job, and the Job's pod says which model, from where and why; so does a
 * model it holds while the registry is down.
 * catalog-grows: a model added to the platform's catalog is pulled by a new Job and reaches a running tenant: its
 * Ollama, never restarted, serves it.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { platformNamespace } from "../../../charts-src/lib/conventions.js";
import type { Job, Named, Pod } from "../../../charts-src/lib/k8s.js";
import { modelAnnotation } from "../../../charts-src/lib/model-cache.js";
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { componentSelector, execIn, podsOf, restarts } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import { until } from "../../lib/wait.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { tinyModelNext } from "../model.js";
import { applyLabPlatform, type CatalogModel, catalogManifest, labCatalog, modelRef } from "../platform.js";

const pullSelector = "app.kubernetes.io/component=model-pull";

const condition = (job: Named<Job>, type: string) =>
  (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");

const pullJobs = async (ctx: RuntimeContext): Promise<Named<Job>[]> =>
  JSON.parse(await ctx.k.kubectl(["get", "jobs", "-n", platformNamespace, "-l", pullSelector, "-o", "json"])).items;

/** The termination messages of a Job's pods: a failed pull's one line (model, source, Ollama's reason). */
const pullMessages = async (ctx: RuntimeContext, job: Named<Job>): Promise<string> => {
  const pods: Named<Pod>[] = JSON.parse(
    await ctx.k.kubectl(["get", "pods", "-n", platformNamespace, "-l", `job-name=${job.metadata.name}`, "-o", "json"]),
  ).items;
  return pods
    .flatMap((p) => (p.status?.containerStatuses ?? []).map((c) => c.state?.terminated?.message?.trim() ?? ""))
    .filter(Boolean)
    .join("\n");
};

/** Waits until the pull Job of each of `models` has finished, and returns them by model reference. */
const pullsFinished = async (ctx: RuntimeContext, models: readonly CatalogModel[]) => {
  const wanted = models.map(modelRef);
  let finished: Named<Job>[] = [];
  await until(
    `the pull Jobs of ${wanted.join(", ")} finished`,
    async () => {
      const jobs = (await pullJobs(ctx)).filter((j) =>
        wanted.includes(j.metadata.annotations?.[modelAnnotation] ?? ""),
      );
      finished = jobs.filter((j) => condition(j, "Complete") || condition(j, "Failed"));
      return finished.length === models.length;
    },
    240_000,
  );
  return finished;
};

/** Each Job of `models` completed, or an error carrying what its pods said. */
const pullsComplete = async (ctx: RuntimeContext, models: readonly CatalogModel[]) => {
  const jobs = await pullsFinished(ctx, models);
  const failed = jobs.filter((j) => !condition(j, "Complete"));
  if (failed.length > 0) {
    const said = await Promise.all(failed.map(async (j) => `${j.metadata.name}: ${await pullMessages(ctx, j)}`));
    throw new Error(`pull Jobs failed:\n${said.join("\n")}`);
  }
  return jobs;
};

/** Seconds from a Job's start to its completion. */
const pullSeconds = (job: Named<Job>): number =>
  (Date.parse(job.status?.completionTime ?? "") - Date.parse(job.status?.startTime ?? "")) / 1000;

/** Each model's manifest under its catalog name in its tier's catalog, and no other registry's name beside it. */
const inCatalog = (ctx: RuntimeContext, models: readonly CatalogModel[]): void => {
  for (const m of models) {
    const manifest = catalogManifest(ctx, m);
    if (!existsSync(manifest)) throw new Error(`${modelRef(m)} is not in the ${m.tier} catalog: no ${manifest}`);
    const registries = readdirSync(dirname(dirname(dirname(manifest))));
    if (registries.length !== 1) {
      throw new Error(`the ${m.tier} catalog names models of ${registries.join(", ")}: the mirror's name stayed`);
    }
  }
};

/** A model no registry holds: its pull must fail, and say so. */
export const missingModel: CatalogModel = { name: "llmcharts-missing", tag: "0.1", tier: "standard" };

/** A model the registry holds (catalog-grows adds it later), asked for while the registry is down. */
const [heldName = "", heldTag = ""] = tinyModelNext.split(":");
const heldModel: CatalogModel = { name: heldName, tag: heldTag, tier: "standard" };

/** The failed pull Job of `model` (added to the catalog by the caller), and what its pod said. */
const failedPull = async (ctx: RuntimeContext, model: CatalogModel): Promise<string> => {
  const [job] = await pullsFinished(ctx, [model]);
  if (!job || !condition(job, "Failed")) throw new Error(`the pull of ${modelRef(model)} did not fail`);
  return pullMessages(ctx, job);
};

/** What a failed pull's pod says first: the model and the registry it came from. */
const couldNotPull = async (ctx: RuntimeContext, model: CatalogModel) =>
  `model-pull: could not pull ${modelRef(model)} from ${(await ctx.models()).inCluster}: `;

export const modelsPulled: RuntimeScenario = {
  id: "models-pulled",
  title:
    "the platform's pull Jobs fill each tier's catalog from the lab's registry; a missing model, or the registry down, fails its Job, saying why",
  run: async (ctx, r) => {
    const jobs = await r.step(
      "the pull Jobs complete, each model in its tier's catalog under its catalog name",
      async () => {
        const done = await pullsComplete(ctx, labCatalog);
        inCatalog(ctx, labCatalog);
        return done;
      },
    );
    if (jobs) r.figure("pullSeconds", Math.max(...jobs.map(pullSeconds)));
    await r.step(
      "a model the registry lacks fails its Job, whose pod names the model, the registry and the reason",
      async () => {
        await applyLabPlatform(ctx, [...labCatalog, missingModel]);
        const said = await failedPull(ctx, missingModel);
        const expected = `${await couldNotPull(ctx, missingModel)}Error: pull model manifest: file does not exist`;
        if (!said.includes(expected))
          throw new Error(`the failed pull's pod said ${JSON.stringify(said)}, not ${expected}`);
      },
    );
    await r.step(
      "with the registry down, a model it holds fails its Job, whose pod names the registry and the refused connection",
      async () => {
        const registry = await ctx.models();
        const said = await registry.whileDown(async () => {
          await applyLabPlatform(ctx, [...labCatalog, missingModel, heldModel]);
          return failedPull(ctx, heldModel);
        });
        const expected = await couldNotPull(ctx, heldModel);
        if (!said.includes(expected) || !/connection refused/.test(said))
          throw new Error(`the failed pull's pod said ${JSON.stringify(said)}, not ${expected}… connection refused`);
      },
    );
    await r.step("the catalog back as it was: the failed Jobs removed by the upgrade", async () => {
      await applyLabPlatform(ctx, labCatalog);
      const failed = [missingModel, heldModel].map(modelRef);
      const left = (await pullJobs(ctx)).filter((j) =>
        failed.includes(j.metadata.annotations?.[modelAnnotation] ?? ""),
      );
      if (left.length > 0) throw new Error(`the failed pull Job ${left[0]?.metadata.name} outlived its model`);
    });
  },
};

/**
 * A model a running tenant's Ollama serves: listed, and answering, from inside its pod (the chart offers tenants'
 * users only the model their values name, so OpenWebUI lists it once the tenant's values switch to it).
 */
const servedBy = async (ctx: RuntimeContext, namespace: string, model: string): Promise<void> => {
  const [pod] = await podsOf(ctx.k, namespace, componentSelector(names.ollamaStandard));
  if (!pod) throw new Error(`no standard Ollama pod in ${namespace}`);
  const ollama = (args: string[]) => execIn(ctx.k, namespace, pod.metadata.name, "ollama", ["ollama", ...args]);
  const listed = await ollama(["list"]);
  if (!listed.out.includes(model)) throw new Error(`${pod.metadata.name} lists:\n${listed.out}\nnot ${model}`);
  const answer = await ollama(["run", model, "Say hello."]);
  if (answer.code !== 0) throw new Error(`${pod.metadata.name} could not run ${model}: ${answer.out}`);
  if (restarts(pod) > 0) throw new Error(`${pod.metadata.name} restarted ${restarts(pod)} times`);
};

export const catalogGrows: RuntimeScenario = {
  id: "catalog-grows",
  title: "a model added to the platform's catalog is pulled by a new Job and served by the running tenant's Ollama",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const [name = "", tag = ""] = tinyModelNext.split(":");
    const next: CatalogModel = { name, tag, tier: "standard" };
    const start = Date.now();
    await r.step(`${tinyModelNext} added to the catalog: its Job completes`, async () => {
      await applyLabPlatform(ctx, [...labCatalog, next]);
      await pullsComplete(ctx, [next]);
      inCatalog(ctx, [next]);
    });
    await r.step(`alpha's running Ollama lists ${tinyModelNext} and answers with it, not restarted`, () =>
      servedBy(ctx, alpha.namespace, tinyModelNext),
    );
    r.figure("catalogToServedSeconds", (Date.now() - start) / 1000);
  },
};
