/** The tenant chart's business-hours window (`ollama.premium.scaling.cron`), placed around a moment for a test. */

/**
 * A daily business-hours window (the cron trigger's start and end, in UTC) that holds `now` or starts an hour after
 * it. KEDA's cron trigger is active while the next end comes before the next start.
 */
export const businessHours = (now: Date, includesNow: boolean) => {
  const at = (hourOffset: number) => `${now.getUTCMinutes()} ${(now.getUTCHours() + hourOffset + 24) % 24} * * *`;
  return includesNow ? { start: at(-1), end: at(1) } : { start: at(1), end: at(2) };
};

/**
 * A premium tenant's values that keep one premium pod through a window holding `now` (KEDA's cron trigger), polled at
 * the schema's shortest interval, so that KEDA acts (and, with no wake-up proxy to read, falls back) within seconds.
 */
export const warmPremiumValues = (now: Date) => ({
  ollama: {
    premium: {
      scaling: { pollingInterval: 5, cron: { enabled: true, timezone: "UTC", ...businessHours(now, true) } },
    },
  },
});
