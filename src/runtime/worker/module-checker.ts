/**
 * A tinypool task (module-check.ts): imports a worker's module in a throwaway thread and says
 * whether it has the export to call. Never throws: the answer names the field at fault.
 */
export interface ModuleCheck {
  readonly moduleUrl: string;
  readonly exportName: string;
}

export type ModuleVerdict = { readonly ok: true } | { readonly ok: false; readonly field: 'runtime.module' | 'runtime.export'; readonly message: string };

export default async function checkModule({ moduleUrl, exportName }: ModuleCheck): Promise<ModuleVerdict> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, field: 'runtime.module', message: `a module that imports (${error instanceof Error ? error.message : String(error)})` };
  }
  const found = typeof loaded[exportName];
  if (found === 'function') return { ok: true };
  const exports = Object.keys(loaded).filter((key) => typeof loaded[key] === 'function');
  return {
    ok: false,
    field: 'runtime.export',
    message: `a function exported by the module (${exportName} is ${found === 'undefined' ? 'not exported' : `a ${found}`}; its functions: ${exports.join(', ') || 'none'})`,
  };
}
