/**
 * settings-follow-values: a setting changed in values reaches OpenWebUI on `helm upgrade`, although its database (on
 * the kept data volume) stored the first one: sign-up, off at install, is on after the upgrade.
 */
import { tenantObjectNames as names } from "../../../charts-src/lib/tenant-namespace.js";
import { madeBy } from "../../harness/suite.js";
import type { RuntimeContext, RuntimeScenario } from "../context.js";
import { upgradeLabTenant } from "../tenants.js";
import { openwebuiRolledOut, openwebuiUrl } from "./standard.js";

const signupEnabled = async (url: string): Promise<boolean> => {
  const res = await fetch(`${url}/api/config`);
  const body = (await res.json()) as { features?: { enable_signup?: boolean } };
  return body.features?.enable_signup === true;
};

/** The OpenWebUI Deployment's generation: it moves when an upgrade changes the pod template. */
const generation = (ctx: RuntimeContext, namespace: string) =>
  ctx.k.kubectl(["get", "deployment", names.openwebui, "-n", namespace, "-o", "jsonpath={.metadata.generation}"]);

export const settingsFollowValues: RuntimeScenario = {
  id: "settings-follow-values",
  title: "a setting changed in values reaches OpenWebUI on helm upgrade, although its database stored the first one",
  run: async (ctx, _r, made) => {
    const alpha = madeBy(made.alpha, "tenant alpha", "standard-ready");
    const url = await openwebuiUrl(ctx, alpha.namespace);
    if (await signupEnabled(url)) throw new Error("sign-up is on before the upgrade; the lab values turn it off");
    const revisionBefore = await generation(ctx, alpha.namespace);
    await upgradeLabTenant(ctx, alpha, ["--set", "openwebui.signup.enabled=true"]);
    await openwebuiRolledOut(ctx, alpha.namespace);
    const revisionAfter = await generation(ctx, alpha.namespace);
    if (revisionAfter === revisionBefore) throw new Error("the upgrade did not roll OpenWebUI");
    if (!(await signupEnabled(url))) throw new Error("sign-up is still off after the upgrade turned it on");
  },
};
