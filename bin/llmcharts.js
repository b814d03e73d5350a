#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader in this one process, so contributors need no build step and signals
// (Ctrl-C during `cluster up`) reach the CLI itself, which then tears down what it started.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
