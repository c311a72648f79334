// The config file reader: lexer, parser and the mapping to an option layer. A face of its own, so that a server
// started without -c never loads it; the folder's index hands it out through loadConfigReader().

export type { LoadedConfig } from './load.js';
export { loadConfigFile, parseConfigText } from './load.js';
export type { ConfMapping } from './from-conf.js';
export { optionsFromConf } from './from-conf.js';
export type { ParseOptions } from './parser.js';
export { parseConf, parseConfFile } from './parser.js';
