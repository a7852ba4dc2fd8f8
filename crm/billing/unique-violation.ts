import { Prisma } from '../../generated/prisma/client.js'

/** A write refused by a unique index (the index decided a race two requests ran). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002'
}
