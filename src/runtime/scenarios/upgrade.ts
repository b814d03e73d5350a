/**
 * upgrade-keeps-chats: a chat saved in tenant alpha survives `helm upgrade` (pods replaced), `helm rollback`, and an
 * uninstall (the Namespace and the data claim are kept) followed by a reinstall, which sees the chat again.
 * The upgrade starts from the chart in the working tree: the previous release (0.1.1) cannot run on a lab node
 * (it has no existing-Secret or hostPath model-cache values), so its upgrade path is proven by the install suite.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { join } from "node:path";
import { tinyModel } from "../model.js";
import { componentSelector, waitPodsReady } from "../../harness/pods.js";
import { madeBy } from "../../harness/suite.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { installLabTenant, type LabTenant } from "../tenants.js";
import { openwebuiRolledOut, asUsersReachIt } from "./standard.js";

const title = "llmcharts upgrade check";

const signedIn = async (ctx: RuntimeContext, alpha: LabTenant) => {
  const ui = await asUsersReachIt(ctx, alpha);
  await ui.signin(alpha.adminEmail, alpha.adminPassword);
  return ui;
};

const rolledOut = async (ctx: RuntimeContext, alpha: LabTenant, what: string) => {
  await openwebuiRolledOut(ctx, alpha.namespace);
  const titles = await (await signedIn(ctx, alpha)).chatTitles();
  if (!titles.includes(title)) throw new Error(`after ${what}, the saved chat is gone (chats: ${titles.join(", ")})`);
};

export const upgradeKeepsChats: RuntimeScenario = {
  id: "upgrade-keeps-chats",
  title: "a saved chat survives helm upgrade, rollback, and uninstall followed by a reinstall",
  run: async (ctx, r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const ui = await signedIn(ctx, alpha);
    const answer = await ui.chat(tinyModel, "Remember this.");
    await ui.saveChat(title, [
      { role: "user", content: "Remember this." },
      { role: "assistant", content: answer.text },
    ]);
    const chart = join(ctx.opts.root, "generated", "tenant");
    const helm = (args: string[]) => ctx.h.helm([...args, "--namespace", "tenants"]);
    await helm(["upgrade", alpha.release, chart, "--reuse-values", "--set", "tenant.costCentre=lab-upgraded"]);
    await rolledOut(ctx, alpha, "helm upgrade");
    await helm(["rollback", alpha.release]);
    await rolledOut(ctx, alpha, "helm rollback");
    await helm(["uninstall", alpha.release, "--wait"]);
    const kept = await ctx.k.kubectl(["get", "pvc", names.openwebuiData, "-n", alpha.namespace, "-o", "name"]);
    if (!kept.includes(names.openwebuiData)) throw new Error("uninstall deleted the data claim");
    await installLabTenant(ctx, r, alpha, "lab-standard.yaml");
    await waitPodsReady(ctx.k, alpha.namespace, componentSelector(names.openwebui), { timeoutMs: 420_000 });
    await rolledOut(ctx, alpha, "uninstall and reinstall");
  },
};
