import { AUDIT_SCHEMAS } from './audit/audit.schemas'
import { CHANGE_SCHEMAS } from './changes/changes.schemas'
import { CITATION_SCHEMAS } from './citations/citations.schemas'
import { CLAIM_SCHEMAS } from './claims/claims.schemas'
import { EVENT_SCHEMAS } from './events/events.schemas'
import { HEALTH_SCHEMAS } from './health/health.schemas'
import { KEY_SCHEMAS } from './keys/keys.schemas'
import { PRISONER_SCHEMAS } from './prisoners/prisoners.schemas'
import { PROBLEM_TYPE_SCHEMAS } from './problems/problems.schemas'
import { REVIEW_SCHEMAS } from './review/review.schemas'
import { SOURCE_SCHEMAS } from './sources/sources.schemas'
import { SUBMISSION_SCHEMAS } from './submissions/submissions.schemas'
import { EMBED_SCHEMAS } from './embed/embed.schemas'
import { WEBHOOK_SCHEMAS } from './webhooks/webhooks.schemas'
import { SHARED_SCHEMAS } from '../shared/response-schemas'

/** Every named response schema of the routes, handed to the swagger plugin, which registers them before the routes. */
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
]
