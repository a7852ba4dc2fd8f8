import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils'
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg'

/*
 * Prisma's own schema engine, compiled to WebAssembly and driven through the pg driver
 * adapter. The Prisma CLI's `migrate` commands need a native engine that is downloaded at
 * run time, which machines without internet cannot do; this is the same engine, so it
 * writes the same migration layout and the same `_prisma_migrations` rows (checksum =
 * sha256 of migration.sql) and `prisma migrate deploy` on a connected machine agrees.
 *
 * Re-check the four adapter work-arounds below on every Prisma upgrade.
 */

const require = createRequire(import.meta.url)

// Node has WebAssembly at run time; TypeScript declares it only in the DOM lib, which we do not load.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> }
  RuntimeError: new (...args: unknown[]) => Error
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

type PanicRegistry = { message: string; set_message(m: string): void; get(): string }
const globals = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }
// The wasm-bindgen glue reports Rust panics through this global.
globals.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: '',
  set_message(m: string) {
    this.message = `RuntimeError: ${m}`
  },
  get() {
    return this.message
  },
}

let engineClass: Promise<typeof SchemaEngine> | undefined

function loadEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg')
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    )
    const module = new Wasm.Module(await readFile(wasmPath))
    const instance = new Wasm.Instance(module, { './schema_engine_bg.js': runtime })
    runtime.__wbg_set_wasm(instance.exports)
    ;(instance.exports['__wbindgen_start'] as () => void)()
    return runtime.SchemaEngine
  })()
  return engineClass
}

interface PgQueryResult {
  fields?: { dataTypeID: number }[]
  rows: unknown
}
interface PgQueryable {
  performIO(query: unknown): Promise<PgQueryResult>
  queryRaw(query: unknown): Promise<{ rows: unknown; columnTypes: number[] }>
  __charPatched?: boolean
}
interface PgScriptRunner {
  client: { query(sql: string): Promise<unknown> }
  onError(error: unknown): never
  executeScript(script: string): Promise<void>
  __scriptPatched?: boolean
}

function findOwner<T extends object>(start: object, method: string): T | null {
  let proto = Object.getPrototypeOf(start) as object | null
  while (proto && !Object.hasOwn(proto, method)) proto = Object.getPrototypeOf(proto) as object | null
  return proto as T | null
}

/**
 * adapter-pg 7.x rejects PostgreSQL's internal `"char"` type (oid 18), which the engine's
 * catalog queries return (pg_constraint.contype, ...). Let it through as text and report
 * it as ColumnType Character, which is what the engine expects.
 */
function patchCharColumns(probe: object): void {
  const proto = findOwner<PgQueryable>(probe, 'performIO')
  if (!proto || proto.__charPatched) return
  const charColumns = new WeakMap<object, number[]>()
  const { performIO, queryRaw } = proto
  proto.performIO = async function (this: PgQueryable, query) {
    const res = await performIO.call(this, query)
    const cols: number[] = []
    res.fields?.forEach((f, i) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25
        cols.push(i)
      }
    })
    if (cols.length && typeof res.rows === 'object' && res.rows) charColumns.set(res.rows, cols)
    return res
  }
  proto.queryRaw = async function (this: PgQueryable, query) {
    const out = await queryRaw.call(this, query)
    const cols = typeof out.rows === 'object' && out.rows ? charColumns.get(out.rows) : undefined
    for (const i of cols ?? []) out.columnTypes[i] = ColumnTypeEnum.Character
    return out
  }
  proto.__charPatched = true
}

/**
 * adapter-pg 7.x runs a migration by splitting it on every `;`, which breaks functions,
 * triggers, dollar-quoted bodies and even comments. PostgreSQL's simple-query protocol
 * takes the whole script in one message (one implicit transaction), as the native engine does.
 */
function patchExecuteScript(probe: object): void {
  const proto = findOwner<PgScriptRunner>(probe, 'executeScript')
  if (!proto || proto.__scriptPatched) return
  proto.executeScript = async function (this: PgScriptRunner, script: string) {
    try {
      await this.client.query(script)
    } catch (error) {
      this.onError(error)
    }
  }
  proto.__scriptPatched = true
}

async function patchAdapter(factory: PrismaPg): Promise<void> {
  const probe = await factory.connect()
  try {
    patchCharColumns(probe)
    patchExecuteScript(probe)
  } finally {
    await probe.dispose()
  }
}

function adapterFactory(databaseUrl: string): PrismaPg {
  const u = new URL(databaseUrl)
  const schema = u.searchParams.get('schema')
  // Discrete fields, not { connectionString }: the adapter opens the shadow database with
  // { ...config, database: shadow }, and a connectionString would override `database`,
  // replaying migrations on the main database instead.
  const config = {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  }
  const factory = new PrismaPg(config, schema ? { schema } : undefined)
  // adapter-pg 7.x drops the shadow database before closing the pool still connected to
  // it ("database is being accessed by other users"). Same behaviour, right order.
  factory.connectToShadowDb = async () => {
    const admin = await factory.connect()
    const database = `prisma_migrate_shadow_db_${randomUUID()}`
    await admin.executeScript(`CREATE DATABASE "${database}"`)
    const shadow = await new PrismaPg({ ...config, database }, schema ? { schema } : undefined).connect()
    const disposeShadow = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await disposeShadow()
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`)
      await admin.dispose()
    }
    return shadow
  }
  return factory
}

export type EngineAdapter = ReturnType<typeof bindMigrationAwareSqlAdapterFactory>

export interface OpenEngine {
  engine: SchemaEngine
  adapter: EngineAdapter
  schemaContent: string
  /** Frees the engine and closes every pool it opened. */
  close(): Promise<void>
}

/** Opens the wasm schema engine on a database and a Prisma schema file. Call `close()` when done. */
export async function openSchemaEngine(databaseUrl: string, schemaPath: string): Promise<OpenEngine> {
  const SchemaEngineClass = await loadEngineClass()
  const factory = adapterFactory(databaseUrl)
  await patchAdapter(factory)
  // engine.free() does not close the pg pools the adapter opened; a pool left open keeps
  // Prisma's migration advisory lock, and the next engine on the database waits 10 s for it.
  const opened: { dispose(): Promise<void> }[] = []
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const connection = await connect()
    opened.push(connection)
    return connection
  }
  const adapter = bindMigrationAwareSqlAdapterFactory(factory)
  const schemaContent = await readFile(schemaPath, 'utf-8')
  const engine = await SchemaEngineClass.new(
    { datamodels: [[schemaPath, schemaContent]] },
    () => undefined,
    adapter,
  )
  return {
    engine,
    adapter,
    schemaContent,
    async close() {
      engine.free()
      await Promise.allSettled(opened.splice(0).map((c) => c.dispose()))
    },
  }
}

/** Turns an engine failure into an Error that says what the database said (or the panic). */
export function engineError(err: unknown, adapter: EngineAdapter): Error {
  if (err instanceof Wasm.RuntimeError) {
    return new Error(`schema engine panic: ${globals.PRISMA_WASM_PANIC_REGISTRY?.get() || err.message}`)
  }
  // Driver errors cross the wasm boundary as an id into the adapter's error registry.
  const id = (err as { id?: unknown } | null)?.id
  const original = typeof id === 'number' ? adapter.errorRegistry.consumeError(id)?.error : undefined
  if (original instanceof Error) return original
  return err instanceof Error ? err : new Error(JSON.stringify(err))
}
