import type { Helpers } from "../lib/engine/index.js";
import type { Container, EnvVar } from "../lib/k8s.js";
import { restrictedContainerSecurityContext } from "../lib/pod-security.js";
import { imageRef } from "../lib/workload.js";
import { hasPremium, hasStandard, ports } from "./identity.js";
import { secretEnv, tenantSecrets } from "./secrets.js";
import type { TenantValues } from "./values.js";
import { wakeNoticeEnv, wakeNoticeId } from "./wake-notice.js";

/**
 * Who may use which model, kept as the values say. OpenWebUI shows a user (not an admin) only the models that carry
 * a read grant for them, and on a fresh tenant none does: users would see no model at all. A second container of
 * OpenWebUI's pod, in OpenWebUI's own image, signs in as the tenant's admin through OpenWebUI's API (on localhost, so
 * no policy or Service is involved) and grants the standard model to every user and the premium model to the members
 * of `openwebui.modelAccess.premiumGroups` only (creating those groups), so no one else sees premium, calls it or
 * wakes its GPUs. It checks again every few minutes: a model Ollama did not list yet, or a grant changed in the admin
 * panel, is put back to what the values say. It keeps premium's wake notice too (wake-notice.ts). A container
 * rather than a Helm hook: a hook would hold `helm install` (and Argo CD's sync) until OpenWebUI answers, and runs
 * only on install and upgrade, not when a grant drifts.
 */

/** Runs in OpenWebUI's image with its Python and nothing but the standard library. */
export const modelAccessScript = `
import json, os, time, urllib.request

base = 'http://127.0.0.1:' + os.environ['OPENWEBUI_PORT']
everyone = [{'principal_type': 'user', 'principal_id': '*', 'permission': 'read'}]
premium_groups = json.loads(os.environ['PREMIUM_GROUPS'])

def call(path, token='', body=None, method=None):
    headers = {'content-type': 'application/json'} | ({'authorization': 'Bearer ' + token} if token else {})
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(base + path, data, headers, method=method), timeout=30) as res:
        return json.load(res)

def keep_wake_notice(token, said):
    """Keeps the premium wake notice (a global filter function) as the values say, or removes it."""
    fid, source = os.environ['WAKE_NOTICE_ID'], os.environ.get('WAKE_NOTICE_SOURCE')
    model = os.environ.get('PREMIUM_MODEL')
    at = '/api/v1/functions/id/' + fid
    installed = {f['id']: f for f in call('/api/v1/functions/', token)}.get(fid)
    if not (source and model):
        if installed:
            call(at + '/delete', token, method='DELETE')
            print('wake notice removed', flush=True)
        return
    meta = {'description': 'Kept by the tenant chart (openwebui.wakeNotice): changes here are put back.'}
    form = {'id': fid, 'name': 'Premium wake notice', 'content': source, 'meta': meta}
    if not installed:
        installed = call('/api/v1/functions/create', token, form)
    elif call(at, token)['content'] != source:
        installed = call(at + '/update', token, form)
    for switch in ('is_active', 'is_global'):
        if not installed[switch]:
            call(at + ('/toggle' if switch == 'is_active' else '/toggle/global'), token, {})
    valves = {
        'models': [model, model + ':latest'],
        'ready_url': os.environ['WAKE_NOTICE_READY_URL'],
        'usual_seconds': int(os.environ['WAKE_NOTICE_USUAL_SECONDS']),
        'give_up_seconds': int(os.environ['WAKE_NOTICE_GIVE_UP_SECONDS']),
    }
    if call(at + '/valves', token) != valves:
        call(at + '/valves/update', token, valves)
    if said.get(fid) != valves:
        print('wake notice on chats to', valves['models'], 'usually', valves['usual_seconds'], 's', flush=True)
        said[fid] = valves

def apply(said):
    """Grants each model as the values say; returns the models Ollama does not list yet."""
    admin = {'email': os.environ['WEBUI_ADMIN_EMAIL'], 'password': os.environ['WEBUI_ADMIN_PASSWORD']}
    token = call('/api/v1/auths/signin', body=admin)['token']
    groups = {g['name']: g['id'] for g in call('/api/v1/groups/', token)}
    for name in set(premium_groups) - set(groups):
        about = 'Members may use the premium model (openwebui.modelAccess.premiumGroups).'
        groups[name] = call('/api/v1/groups/create', token, {'name': name, 'description': about})['id']
    premium = [{'principal_type': 'group', 'principal_id': groups[n], 'permission': 'read'} for n in premium_groups]
    wanted = {os.environ.get('STANDARD_MODEL'): everyone, os.environ.get('PREMIUM_MODEL'): premium or everyone}
    served = {m['id'] for m in call('/api/models', token)['data']}
    missing = []
    for model, grants in wanted.items():
        # Ollama lists a model given without a tag as <model>:latest.
        ids = [i for i in (model, f'{model}:latest') if model and i in served]
        missing += [model] if model and not ids else []
        for i in ids:
            call('/api/v1/models/model/access/update', token, {'id': i, 'name': i, 'access_grants': grants})
            if said.get(i) != grants:
                print(i, 'readable by', [g['principal_type'] + ' ' + g['principal_id'] for g in grants], flush=True)
                said[i] = grants
    try:
        keep_wake_notice(token, said)
    except Exception as e:  # functions turned off in OpenWebUI (ENABLE_FUNCTIONS): the grants still hold.
        print('wake notice not kept:', e, flush=True)
    return missing

said = {}
while True:
    try:
        missing = apply(said)
        if missing:
            print('not listed by Ollama yet:', missing, flush=True)
        time.sleep(30 if missing else int(os.environ['RECHECK_SECONDS']))
    except Exception as e:  # OpenWebUI starting, its admin not created yet, a restart: try again.
        print('OpenWebUI not ready for model access:', e, flush=True)
        time.sleep(10)
`.trim();

/** The admin the container signs in as: the chart's own first admin. */
export const manageModelAccess = (v: TenantValues, h: Helpers) =>
  h.and(v.openwebui.modelAccess.enabled, h.isSet(v.openwebui.admin.email));

export const modelAccessContainer = (v: TenantValues, h: Helpers): Container => {
  const o = v.openwebui;
  const value = (name: string, val: string): EnvVar => ({ name, value: val });
  return {
    name: "model-access",
    image: imageRef(h, o.image, v.global),
    imagePullPolicy: o.image.pullPolicy,
    command: ["python3", "-B", "-u", "-c", modelAccessScript],
    env: [
      value("OPENWEBUI_PORT", `${ports.openwebui}`),
      value("WEBUI_ADMIN_EMAIL", o.admin.email),
      secretEnv(v, h, "WEBUI_ADMIN_PASSWORD", tenantSecrets.adminPassword),
      h.when(hasStandard(v, h), value("STANDARD_MODEL", v.ollama.standard.model)),
      h.when(hasPremium(v, h), value("PREMIUM_MODEL", v.ollama.premium.model)),
      value("PREMIUM_GROUPS", h.toJson(o.modelAccess.premiumGroups)),
      value("RECHECK_SECONDS", `${o.modelAccess.recheckSeconds}`),
      value("WAKE_NOTICE_ID", wakeNoticeId),
      ...wakeNoticeEnv(v, h),
    ],
    resources: {
      requests: { cpu: "10m", memory: "48Mi", "ephemeral-storage": "16Mi" },
      limits: { cpu: "200m", memory: "128Mi", "ephemeral-storage": "64Mi" },
    },
    securityContext: restrictedContainerSecurityContext(h),
  };
};
