import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type { AdapterFactory } from './client.ts';

/** The part of the WebAssembly API used here; the Node type definitions in use do not declare it. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded = false;

/**
 * Instantiates Prisma's WebAssembly schema engine by hand. The package's entry imports the
 * .wasm file as an ES module, which only bundlers understand, so Node needs this step.
 */
function loadSchemaEngineWasm(): typeof bindings {
  if (loaded) return bindings;

  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(path.dirname(bindingsPath), 'schema_engine_bg.wasm');
  const module = new wasmApi.Module(fs.readFileSync(wasmPath));
  const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = true;
  return bindings;
}

export interface SchemaEngineLog {
  (message: string): void;
}

/** Starts a schema engine for one Prisma schema on the given driver adapter. */
export async function startSchemaEngine(
  schemaPath: string,
  adapterFactory: AdapterFactory,
  log: SchemaEngineLog,
): Promise<SchemaEngine> {
  const { SchemaEngine } = loadSchemaEngineWasm();
  const schemaText = fs.readFileSync(schemaPath, 'utf8');
  return SchemaEngine.new(
    { datamodels: [[path.basename(schemaPath), schemaText]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
