import type { Helpers } from "../lib/engine/index.js";
import type { EnvVar } from "../lib/k8s.js";
import { premiumOllamaUrl } from "./premium-wake.js";
import type { TenantValues } from "./values.js";

/**
 * The wait a user sees while premium wakes: an OpenWebUI filter function, global, that the model-access container
 * installs, keeps as the values say and removes when they turn it off. On a chat to the premium model it asks the
 * wake-up proxy whether premium is ready: `/api/version` is answered by premium itself once a pod is ready, and by the
 * proxy's 503 placeholder until then, without waking it or counting for KEDA (premium-wake.ts). Not ready: the chat
 * shows a status line, renewed every few seconds, with the seconds waited and about how many are left, until premium
 * answers. The chat itself is held by the proxy as before; the filter only watches.
 */

/** The function's id in OpenWebUI (letters, digits and underscores only). */
export const wakeNoticeId = "llmcharts_premium_wake_notice";

/** Runs inside OpenWebUI (its Python, its pydantic); OpenWebUI reads the title and description from the docstring. */
export const wakeNoticeSource = `
"""
title: Premium wake notice
description: While the premium model wakes from zero, its chats show how long they have waited and about how long is left. Kept by the tenant chart (openwebui.wakeNotice).
"""
import asyncio
import time
import urllib.request

from pydantic import BaseModel


class Filter:
    class Valves(BaseModel):
        models: list[str] = []
        ready_url: str = ''
        usual_seconds: int = 240
        give_up_seconds: int = 600
        every_seconds: int = 5

    def __init__(self):
        self.valves = self.Valves()
        # Counters still running: a task nothing refers to may be collected before it ends.
        self.counters = set()

    def ready(self):
        try:
            with urllib.request.urlopen(self.valves.ready_url, timeout=2) as res:
                return res.status == 200
        except Exception:
            return False

    async def inlet(self, body: dict, __event_emitter__=None) -> dict:
        if __event_emitter__ and body.get('model') in self.valves.models and not await asyncio.to_thread(self.ready):
            counter = asyncio.create_task(self.count(__event_emitter__))
            self.counters.add(counter)
            counter.add_done_callback(self.counters.discard)
        return body

    async def count(self, emit):
        usual, started = self.valves.usual_seconds, time.monotonic()
        while (waited := round(time.monotonic() - started)) < self.valves.give_up_seconds:
            if await asyncio.to_thread(self.ready):
                await emit(status(f'The premium model is awake (woke in {waited} s)', True))
                return
            left = f'about {usual - waited} s left' if waited < usual else f'longer than the usual {usual} s'
            await emit(status(f'Waking the premium model: {waited} s so far, {left}', False))
            await asyncio.sleep(self.valves.every_seconds)
        await emit(status(f'The premium model did not wake in {self.valves.give_up_seconds} s', True))


def status(description, done):
    data = {'description': description, 'done': done}
    return {'type': 'status', 'data': data}
`.trimStart();

/**
 * What the model-access container needs to keep the notice; nothing when it is off. A tier without premium has no
 * premium model to watch (no PREMIUM_MODEL): the container removes the notice there too.
 */
export const wakeNoticeEnv = (v: TenantValues, h: Helpers): EnvVar[] => {
  const value = (name: string, val: string): EnvVar => h.when(v.openwebui.wakeNotice.enabled, { name, value: val });
  return [
    value("WAKE_NOTICE_SOURCE", wakeNoticeSource),
    value("WAKE_NOTICE_READY_URL", `${premiumOllamaUrl}/api/version`),
    value("WAKE_NOTICE_USUAL_SECONDS", `${v.openwebui.wakeNotice.usualSeconds}`),
    value("WAKE_NOTICE_GIVE_UP_SECONDS", `${v.ollama.premium.wake.holdSeconds}`),
  ];
};
