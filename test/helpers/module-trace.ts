// `node --import <this file>` records which modules a process loads (into $LEAFGATE_MODULE_TRACE), so tests can
// check what a server's start loads and what it leaves for later.
import { register } from 'node:module';

register('./module-trace-hooks.js', import.meta.url);
