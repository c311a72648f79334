// Module resolution hook (see module-trace.ts): appends every module a process resolves to $LEAFGATE_MODULE_TRACE.
import { appendFileSync } from 'node:fs';

interface ResolveResult {
  url: string;
}

type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  const result = await next(specifier, context);
  const file = process.env.LEAFGATE_MODULE_TRACE;
  if (file !== undefined) appendFileSync(file, `${result.url}\n`);
  return result;
}
