// The problems a config text is refused with ([] when it loads), as `c.conf:<line>:<col>: ...`.

import { ConfigError } from '../../../src/config/index.js';
import { parseConfigText } from '../../../src/config/reader.js';

export function problemsOf(text: string): readonly string[] {
  try {
    parseConfigText(text, 'c.conf', { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
