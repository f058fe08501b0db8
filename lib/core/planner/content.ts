/**
 * What a plan says per relationship: the artifact the producer hands over, the points where
 * the agents must meet, the risks and how to tell it worked. Placeholders: {p} producer task,
 * {c} consumer tasks, {topic} what the tasks share.
 */

/** Relationship-specific wording for a template plan. */
export interface RelationshipContent {
  readonly artifact: { readonly name: string; readonly description: string }
  readonly coordination: readonly string[]
  readonly risks: readonly string[]
  readonly success: readonly string[]
}

const CONTENT: Readonly<Record<string, RelationshipContent>> = {
  API_Contract: {
    artifact: {
      name: 'API contract: {topic}',
      description: 'Machine-readable contract (OpenAPI or equivalent): paths, request and response shapes, error codes, auth requirements. Written by {p}, reviewed by {c} before they build on it.',
    },
    coordination: [
      '{p} publishes a draft contract; {c} review it and reply with agreement or concerns before implementation starts.',
      'Any breaking change to the contract after agreement goes back to this session as a new plan version.',
      'Agree where contract tests live and run them in both repositories.',
    ],
    risks: [
      'The consumer builds against an outdated draft and has to rework when the contract changes.',
      'Error cases and authentication requirements are left out of the contract and diverge.',
    ],
    success: [
      'The contract is merged in the producer repository and referenced by {c}.',
      'Contract tests pass on both sides against the same contract version.',
    ],
  },
  Database_Schema: {
    artifact: {
      name: 'Schema migration: {topic}',
      description: 'The migration and the resulting table/column definitions (names, types, nullability, indexes, defaults), produced by {p} and consumed by {c}.',
    },
    coordination: [
      '{p} shares the migration before merging; {c} confirm the fields they read and write.',
      'Agree the deploy order: migration first, consumers after; and whether the change is backward compatible.',
    ],
    risks: [
      'A consumer deploys before the migration and fails on missing columns.',
      'A non-backward-compatible change breaks readers that are not part of this session.',
    ],
    success: [
      'The migration runs forwards and backwards in a staging database.',
      '{c} read and write the new fields in their tests against the migrated schema.',
    ],
  },
  Configuration_Dependency: {
    artifact: {
      name: 'Configuration key: {topic}',
      description: 'Name, type, default and per-environment values of the flag or setting, introduced by {p} and read by {c}.',
    },
    coordination: [
      'Agree the exact key name, default value and what "off" means before anyone reads it.',
      'Agree who flips the flag in each environment and the rollback procedure.',
    ],
    risks: [
      'The key name or default differs between the repositories, so checks silently see "off".',
      'The flag is removed or renamed while consumers still read it.',
    ],
    success: [
      'Both repositories read the same key with the same default, covered by a test on each side.',
      'Turning the flag on and off in staging changes behaviour on both sides as expected.',
    ],
  },
  Security_Compliance: {
    artifact: {
      name: 'Auth contract: {topic}',
      description: 'Token format and claims, lifetimes and refresh behaviour, signing keys and rotation, and the error responses expected by {c}; owned by {p}.',
    },
    coordination: [
      '{p} documents token claims, expiry and refresh semantics; {c} confirm what they verify and how they fail.',
      'Agree key distribution and rotation, and a joint test with expired, revoked and tampered tokens.',
      'A security reviewer signs off the combined change before release.',
    ],
    risks: [
      'The middleware accepts tokens the provider no longer considers valid (refresh or revocation mismatch).',
      'Clock skew or key rotation causes valid sessions to be rejected in production.',
    ],
    success: [
      'Expired, revoked and tampered tokens are rejected end to end; valid refreshed tokens are accepted.',
      'No secrets in logs or repositories; the security review is recorded.',
    ],
  },
}

const GENERIC: RelationshipContent = {
  artifact: {
    name: 'Interface notes: {topic}',
    description: 'What {p} produces that {c} depend on, written down where both sides can review it.',
  },
  coordination: [
    '{p} shares its interface early; {c} confirm it covers their needs.',
    'Raise any change to the agreed interface in this session before merging it.',
  ],
  risks: ['The two sides make different assumptions about the shared piece and only find out at integration.'],
  success: ['Both tasks are merged and an integration test covers the shared piece.'],
}

/** The content for a relationship; custom rules get generic wording. */
export function relationshipContent(relationship: string | undefined): RelationshipContent {
  // hasOwn, not `in`/indexing: a custom rule may be named "constructor".
  return relationship !== undefined && Object.hasOwn(CONTENT, relationship) ? CONTENT[relationship] : GENERIC
}

/** Fills {p}, {c} and {topic}. */
export function fill(template: string, vars: { p: string; c: string; topic: string }): string {
  return template.replaceAll('{p}', vars.p).replaceAll('{c}', vars.c).replaceAll('{topic}', vars.topic)
}
