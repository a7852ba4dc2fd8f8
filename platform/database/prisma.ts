import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../../generated/prisma/client.js'

export type Db = PrismaClient
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0]

/** Prisma through the pg driver adapter: no query engine binary, nothing downloaded. */
export function createPrisma(databaseUrl: string, poolMax: number): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolMax }) })
}
