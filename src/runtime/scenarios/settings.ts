/**
 * settings-follow-values: a setting changed in values reaches OpenWebUI on `helm upgrade`, although its database (on
 * the kept data volume) stored the first one: sign-up, off at install, is on after the upgrade.
 */
import { join } from "node:path";
import { waitPodsReady } from "../pods.js";
import type { Scenario } from "../suite.js";
import { alpha, openwebuiUrl } from "./standard.js";

const signupEnabled = async (url: string): Promise<boolean> => {
  const res = await fetch(`${url}/api/config`);
  const body = (await res.json()) as { features?: { enable_signup?: boolean } };
  return body.features?.enable_signup === true;
};

/** The OpenWebUI Deployment's generation: it moves when an upgrade changes the pod template. */
const generation = (run: Parameters<Scenario>[0]) =>
  run.k.kubectl(["get", "deployment", "openwebui", "-n", alpha.namespace, "-o", "jsonpath={.metadata.generation}"]);

export const settingsFollowValues: Scenario = async (run) => {
  const url = await openwebuiUrl(run, alpha.namespace);
  if (await signupEnabled(url)) throw new Error("sign-up is on before the upgrade; the lab values turn it off");
  const revisionBefore = await generation(run);
  await run.h.helm([
    "upgrade",
    alpha.release,
    join(run.opts.root, "generated", "tenant"),
    "--namespace",
    "tenants",
    "--reuse-values",
    "--set",
    "openwebui.signup.enabled=true",
  ]);
  await run.k.kubectl(["rollout", "status", "deployment/openwebui", "-n", alpha.namespace, "--timeout=420s"]);
  await waitPodsReady(run.k, alpha.namespace, "app.kubernetes.io/component=openwebui", { timeoutMs: 60_000 });
  const revisionAfter = await generation(run);
  if (revisionAfter === revisionBefore) throw new Error("the upgrade did not roll OpenWebUI");
  if (!(await signupEnabled(url))) throw new Error("sign-up is still off after the upgrade turned it on");
  return undefined;
};
