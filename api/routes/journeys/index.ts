import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { LeadwireError } from '../../../platform/errors.js'
import { JOURNEY_STAGES } from '../../../domain/journey/journey-stage.rules.js'
import { JOURNEY_VERSIONS, LEAD_JOURNEY_WORKFLOW } from '../../../workflows/lead-journey.messages.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const VersionCounts = Type.Object(
  {
    running: Type.Integer({ description: 'Lead journeys running now.' }),
    byVersion: Type.Array(Type.Object({ version: Type.String(), running: Type.Integer() }), {
      description:
        'Versions with journeys running, oldest first: 1 records its start and waits (upgrading at its next ' +
        'event), 2 runs the playbook, 3 also re-routes a missed first contact to the next owner.',
    }),
    byStage: Type.Array(Type.Object({ stage: Type.String(), running: Type.Integer() })),
  },
  { title: 'JourneyCounts' },
)

/**
 * Running journeys counted by code version (the JourneyVersion search attribute) and by
 * stage, from Temporal's visibility store: how far a deploy has rolled through, and where
 * leads stand. Visibility is eventually consistent, so counts trail changes by a moment.
 */
const journeys: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/counts',
    {
      config: { access: { object: 'journey', action: 'read' } },
      schema: {
        tags: ['journey'],
        summary: 'Running lead journeys by workflow version and by stage',
        response: { 200: VersionCounts, ...problemResponses },
      },
    },
    async () => {
      const { temporal } = app.services
      const running = `WorkflowType = '${LEAD_JOURNEY_WORKFLOW}' AND ExecutionStatus = 'Running'`
      // One count per known value: the dev server's visibility store cannot GROUP BY a
      // custom search attribute, and the values are few and known to the code.
      const count = async (where: string) => (await temporal.workflow.count(`${running}${where}`)).count
      try {
        return await temporal.connection.withDeadline(Date.now() + 5000, async () => {
          const [total, versions, stages] = await Promise.all([
            count(''),
            Promise.all(
              JOURNEY_VERSIONS.map(async (version) => ({
                version,
                running: await count(` AND JourneyVersion = '${version}'`),
              })),
            ),
            Promise.all(
              JOURNEY_STAGES.map(async (stage) => ({
                stage,
                running: await count(` AND Stage = '${stage}'`),
              })),
            ),
          ])
          return {
            running: total,
            byVersion: versions.filter((v) => v.running > 0),
            byStage: stages.filter((s) => s.running > 0),
          }
        })
      } catch (err) {
        throw new LeadwireError(
          'not_ready',
          503,
          'Temporal could not be asked for journey counts just now.',
          {
            retryable: true,
            cause: err,
          },
        )
      }
    },
  )
}

export default journeys
