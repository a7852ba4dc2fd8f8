import { randomBytes } from 'node:crypto'
import { Connection } from '@temporalio/client'
import { msToTs } from '@temporalio/common/lib/time.js'
import { inject } from 'vitest'
import { waitFor } from '../../../platform/process/child-process.js'
import { registerSearchAttributes } from '../../../platform/temporal/register-search-attributes.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes.js'

/**
 * A namespace of its own on the shared dev server, with the journeys' search attributes: a
 * test that counts running journeys (GET /v1/journeys/counts counts the whole namespace)
 * sees only its own, whatever other test files run meanwhile.
 */
export async function createJourneyNamespace(prefix: string): Promise<string> {
  const namespace = journeyNamespaceName(prefix)
  await registerJourneyNamespace(namespace)
  return namespace
}

/** A name no other test file uses (decided before the namespace exists, for a config built early). */
export const journeyNamespaceName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`

export async function registerJourneyNamespace(namespace: string): Promise<void> {
  const connection = await Connection.connect({ address: inject('temporalAddress') })
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    })
    // The frontend learns of a new namespace on its next registry refresh.
    await waitFor(
      () =>
        connection.workflowService.describeNamespace({ namespace }).then(
          () => true,
          () => false,
        ),
      30_000,
      `namespace ${namespace} to be served`,
    )
    await registerSearchAttributes(connection, namespace, JOURNEY_SEARCH_ATTRIBUTES)
  } finally {
    await connection.close()
  }
}
