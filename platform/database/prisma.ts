import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient, type Prisma } from '../../generated/prisma/client.js'

export type Db = PrismaClient
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0]

/** A plain value stored in a JSONB column (decisions, details, payloads). */
export const asJson = (v: unknown) => v as Prisma.InputJsonValue

/** Prisma through the pg driver adapter: no query engine binary, nothing downloaded. */
export function createPrisma(databaseUrl: string, poolMax: number): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }) })
}
