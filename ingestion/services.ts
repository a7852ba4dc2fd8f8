import { DEFAULT_VALIDATION_POLICY } from '../domain/lead/validate.rules.js'
import type { Config } from '../platform/config.js'
import type { Db } from '../platform/database/prisma.js'
import { createLeadMaintenance, type LeadMaintenance } from './lead-maintenance.js'
import { createIngestion, type Ingestion } from './pipeline.js'
import { createRuleCache, type RuleCache } from './rules/active-rules.js'
import type { IngestionPolicy } from './steps/assess.js'

export interface LeadServices {
  ingestion: Ingestion
  leads: LeadMaintenance
  rules: RuleCache
}

export function ingestionPolicy(config: Config): IngestionPolicy {
  return {
    defaultCountry: config.INGEST_DEFAULT_COUNTRY,
    validation: DEFAULT_VALIDATION_POLICY,
    fuzzySuggestThreshold: config.DEDUPE_FUZZY_SUGGEST_THRESHOLD,
    fuzzyLinkThreshold: config.DEDUPE_FUZZY_LINK_THRESHOLD,
  }
}

/** Everything that writes leads, wired once per process (API, connector host). */
export function createLeadServices(db: Db, config: Config, clock?: () => Date): LeadServices {
  const rules = createRuleCache(db)
  const policy = ingestionPolicy(config)
  return {
    rules,
    ingestion: createIngestion({ db, rules, policy, ...(clock ? { clock } : {}) }),
    leads: createLeadMaintenance({ db, rules, policy, ...(clock ? { clock } : {}) }),
  }
}
