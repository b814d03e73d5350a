/**
 * upgrade-keeps-chats: a chat saved in tenant alpha survives `helm upgrade` (pods replaced), `helm rollback`, and an
 * uninstall (the Namespace and the data claim are kept) followed by a reinstall, which sees the chat again.
 * The upgrade starts from the chart in the working tree: the previous release (0.1.1) cannot run on a lab node
 * (it has no existing-Secret or hostPath model-cache values), so its upgrade path is proven by the install suite.
 */
import { join } from "node:path";
import { tinyModel } from "../model.js";
import { OpenWebUI } from "../openwebui-api.js";
import { waitPodsReady } from "../pods.js";
import type { RuntimeRun, Scenario } from "../suite.js";
import { installTenant } from "../tenants.js";
import { alpha, openwebuiUrl } from "./standard.js";

const title = "llmcharts upgrade check";

const signedIn = async (run: RuntimeRun) => {
  const ui = new OpenWebUI(await openwebuiUrl(run, alpha.namespace));
  await ui.signin(alpha.adminEmail, alpha.adminPassword);
  return ui;
};

const rolledOut = async (run: RuntimeRun, what: string) => {
  await run.k.kubectl(["rollout", "status", "deployment/openwebui", "-n", alpha.namespace, "--timeout=420s"]);
  await waitPodsReady(run.k, alpha.namespace, "app.kubernetes.io/component=openwebui", { timeoutMs: 60_000 });
  const titles = await (await signedIn(run)).chatTitles();
  if (!titles.includes(title)) throw new Error(`after ${what}, the saved chat is gone (chats: ${titles.join(", ")})`);
};

export const upgradeKeepsChats: Scenario = async (run) => {
  const ui = await signedIn(run);
  const answer = await ui.chat(tinyModel, "Remember this.");
  await ui.saveChat(title, [
    { role: "user", content: "Remember this." },
    { role: "assistant", content: answer.text },
  ]);
  const chart = join(run.opts.root, "generated", "tenant");
  const helm = (args: string[]) => run.h.helm([...args, "--namespace", "tenants"]);
  await helm(["upgrade", alpha.release, chart, "--reuse-values", "--set", "tenant.costCentre=lab-upgraded"]);
  await rolledOut(run, "helm upgrade");
  await helm(["rollback", alpha.release]);
  await rolledOut(run, "helm rollback");
  await helm(["uninstall", alpha.release, "--wait"]);
  const kept = await run.k.kubectl(["get", "pvc", "openwebui-data", "-n", alpha.namespace, "-o", "name"]);
  if (!kept.includes("openwebui-data")) throw new Error("uninstall deleted the data claim");
  await installTenant(run, alpha, "lab-standard.yaml");
  await waitPodsReady(run.k, alpha.namespace, "app.kubernetes.io/component=openwebui", { timeoutMs: 420_000 });
  await rolledOut(run, "uninstall and reinstall");
  return undefined;
};
