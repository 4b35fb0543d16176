/**
 * The vsh process's entry (`bin/vsh` runs it): the whole CLI is one pre-built bundle, `vsh.cjs`
 * (made at build time from the sources of every package it uses, see vsh-bundle.config.ts), run
 * from V8's code cache. The drivers other than the test driver are bundles of their own, loaded
 * only when a URI needs one.
 */
import * as path from 'node:path';
import { runCached } from './code-cache';

runCached(path.join(__dirname, 'vsh.cjs'));
