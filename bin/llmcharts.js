#!/usr/bin/env node
// Runs the CLI in this one process, so signals (Ctrl-C during `cluster up`) reach the CLI itself, which then tears
// down what it started: from its bundle (bin/cli-bundle.js) when it can be had, else its TypeScript through tsx's
// loader, so contributors need no build step either way.
import { pathToFileURL } from "node:url";
import { cliBundle } from "./cli-bundle.js";

const bundle = await cliBundle();
if (bundle) await import(pathToFileURL(bundle).href);
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}
