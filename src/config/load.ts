// Entry points: a config file (or text, for tests and tools) to an option layer plus warnings.

import { resolve } from 'node:path';

import { optionsFromConf } from './from-conf.js';
import type { OptionLayer } from './options.js';
import type { ParseOptions } from './parser.js';
import { parseConf, parseConfFile } from './parser.js';

export interface LoadedConfig {
  readonly layer: OptionLayer;
  /** Accepted but ignored settings and deprecated forms, each `<file>:<line>:<col>: <text>`. */
  readonly warnings: string[];
}

/**
 * Reads, parses and maps a nats-server config file. Positions in messages use `path` as given;
 * the layer's `configFile` is the absolute path, so a reload finds the file whatever the cwd.
 * Throws ConfigError (CONFIG_READ, CONFIG_SYNTAX or CONFIG_INVALID).
 */
export function loadConfigFile(path: string, options: ParseOptions = {}): LoadedConfig {
  const { layer, warnings } = optionsFromConf(parseConfFile(path, options));
  return { layer: { ...layer, configFile: resolve(path) }, warnings };
}

/** Parses and maps config text; `fileName` names it in messages and anchors relative includes. */
export function parseConfigText(text: string, fileName: string, options: ParseOptions = {}): LoadedConfig {
  return optionsFromConf(parseConf(text, fileName, options));
}
