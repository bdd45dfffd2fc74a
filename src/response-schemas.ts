import { AUDIT_SCHEMAS } from './modules/audit/audit.schemas'
import { CHANGE_SCHEMAS } from './modules/changes/changes.schemas'
import { CITATION_SCHEMAS } from './modules/citations/citations.schemas'
import { CLAIM_SCHEMAS } from './modules/claims/claims.schemas'
import { EVENT_SCHEMAS } from './modules/events/events.schemas'
import { HEALTH_SCHEMAS } from './modules/health/health.schemas'
import { HISTORY_SCHEMAS } from './modules/history/history.schemas'
import { IMPORT_SCHEMAS } from './modules/imports/imports.schemas'
import { KEY_SCHEMAS } from './modules/keys/keys.schemas'
import { PRISONER_SCHEMAS } from './modules/prisoners/prisoners.schemas'
import { PROBLEM_TYPE_SCHEMAS } from './modules/problems/problems.schemas'
import { REVIEW_SCHEMAS } from './modules/review/review.schemas'
import { SOURCE_SCHEMAS } from './modules/sources/sources.schemas'
import { SUBMISSION_SCHEMAS } from './modules/submissions/submissions.schemas'
import { EMBED_SCHEMAS } from './modules/embed/embed.schemas'
import { WEBHOOK_SCHEMAS } from './modules/webhooks/webhooks.schemas'
import { CANDIDATE_SCHEMAS } from './modules/candidates/candidates.schemas'
import { SHARED_SCHEMAS } from './shared/response-schemas'

/**
 * Every named response schema of the routes, handed to the swagger plugin, which registers them before the routes.
 * It gathers every module, as app.ts does, so it sits beside app.ts: a module imports no other (src/modules/README.md).
 */
export const RESPONSE_SCHEMAS: { $id: string }[] = [
  ...SHARED_SCHEMAS,
  ...PRISONER_SCHEMAS,
  ...SOURCE_SCHEMAS,
  ...EVENT_SCHEMAS,
  ...CITATION_SCHEMAS,
  ...CLAIM_SCHEMAS,
  ...CHANGE_SCHEMAS,
  ...AUDIT_SCHEMAS,
  ...REVIEW_SCHEMAS,
  ...KEY_SCHEMAS,
  ...PROBLEM_TYPE_SCHEMAS,
  ...HEALTH_SCHEMAS,
  ...SUBMISSION_SCHEMAS,
  ...WEBHOOK_SCHEMAS,
  ...EMBED_SCHEMAS,
  ...HISTORY_SCHEMAS,
  ...CANDIDATE_SCHEMAS,
  ...IMPORT_SCHEMAS,
]
