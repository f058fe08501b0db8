/**
 * The built-in rules' vocabulary, written as plain words and normalised once at load, so the
 * lists read like English and cannot drift from the stemmer. Changing a list changes which
 * `dependency.detected` events verify: treat it as a protocol change (docs/adr/0011).
 */
import { normalizeTerm } from './text'
import type { BuiltinRelationship } from './types'

/** A built-in rule: topic terms name the thing; consumer terms name work that uses it. */
export interface BuiltinVocabulary {
  readonly name: BuiltinRelationship
  readonly description: string
  /** Domain terms: at least one task of the pair must mention one. */
  readonly topic: readonly string[]
  /** Terms of work that consumes the topic: the other task must mention a topic or consumer term. */
  readonly consumer: readonly string[]
}

const RAW: readonly BuiltinVocabulary[] = [
  {
    name: 'API_Contract',
    description: 'One task defines an API contract that the other implements or calls',
    topic: ['api', 'endpoint', 'api contract', 'openapi', 'swagger', 'graphql', 'grpc', 'rest', 'rpc', 'route',
      'webhook', 'sdk', 'api spec', 'protobuf'],
    consumer: ['implement', 'consume', 'call', 'client', 'integrate', 'page', 'ui', 'frontend', 'screen', 'form',
      'view', 'component', 'mobile', 'app', 'handler', 'controller', 'backend'],
  },
  {
    name: 'Database_Schema',
    description: 'One task changes a database schema that the other reads or writes',
    topic: ['database', 'schema', 'table', 'migration', 'column', 'sql', 'postgres', 'postgresql', 'mysql', 'sqlite',
      'mongodb', 'collection', 'foreign key', 'data model', 'index table'],
    consumer: ['service', 'query', 'dao', 'orm', 'model', 'backend', 'api', 'endpoint', 'repository layer', 'read',
      'write', 'persist', 'store', 'cache', 'report'],
  },
  {
    name: 'Configuration_Dependency',
    description: 'Both tasks depend on the same configuration, flag or environment setting',
    topic: ['configuration', 'setting', 'feature flag', 'feature toggle', 'toggle', 'flag', 'environment variable',
      'env var', 'parameter', 'config file', 'dotenv', 'launchdarkly', 'rollout'],
    // No consumer terms: a configuration dependency needs both tasks to name configuration
    // (as CHORUS's rule did); "reads settings" alone is too weak across repositories.
    consumer: [],
  },
  {
    name: 'Security_Compliance',
    description: 'One task changes an authentication or security mechanism that the other enforces',
    topic: ['security', 'secure', 'compliance', 'jwt', 'token', 'oauth', 'sso', 'saml', 'permission', 'rbac', 'acl',
      'access control', 'encryption', 'encrypt', 'csrf', 'xss', 'cors', 'tls', 'certificate', 'secret',
      'credential', 'password', 'middleware', 'audit', 'gdpr', 'pii', 'vulnerability', 'mfa', 'totp', 'authorization'],
    consumer: ['guard', 'verify', 'validate', 'enforce', 'check', 'protect', 'gateway', 'session', 'login',
      'logout', 'endpoint', 'route'],
  },
]

/** Words that open a task which produces something (definition side). */
export const PRODUCER_VERBS: readonly string[] = ['define', 'design', 'specify', 'add', 'create', 'introduce',
  'provide', 'expose', 'publish', 'document', 'draft', 'model', 'generate', 'issue'].map(normalizeTerm)

/** Words that open a task which consumes something (implementation side). */
export const CONSUMER_VERBS: readonly string[] = ['implement', 'consume', 'call', 'use', 'integrate', 'wire',
  'connect', 'update', 'adopt', 'check', 'enforce', 'read', 'migrate', 'refactor', 'build', 'hook'].map(normalizeTerm)

/**
 * Concepts: different words for one entity, so "user authentication API" and "login page"
 * share an entity. Each concept id starts with '@' so it cannot collide with a stem.
 */
const RAW_CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  '@auth': ['authentication', 'authenticate', 'login', 'logout', 'sign in', 'sign on', 'signup', 'sso', 'jwt',
    'token', 'oauth', 'saml', 'credential', 'password', 'mfa'],
  '@billing': ['billing', 'payment', 'invoice', 'checkout', 'subscription'],
}

/**
 * Stopwords, action verbs, generic technical nouns, and nouns so common in task titles
 * ("user", "account") that sharing them says nothing: never a shared entity on their own.
 */
const RAW_GENERIC = `a an the and or for of in on to with without from by at into via as is are be been this that
 these those it its new old all any some each per our your their should must can will when if then than so not no
 up down out over under about after before more less only also etc we they use add define implement update create
 make build fix bump remove delete refactor improve support handle write set get allow enable disable change move
 rename check test document design introduce provide expose call consume integrate migrate validate verify ensure
 rework clean upgrade replace extend wire connect read load store run show display render return send receive
 api endpoint service table database schema configuration setting page ui ux frontend backend server client app
 application code data system feature module component function method class file version bug issue task work
 logic layer model unit integration docs documentation readme typo error field column value type part flow process
 request response route handler controller middleware library package dependency project repo repository new
 basic simple initial first second main default custom existing current user account`

const normalizeAll = (list: readonly string[]): string[] => [...new Set(list.map(normalizeTerm).filter(Boolean))]

/** The four built-in rules with normalised term lists. */
export const BUILTIN_RULES: readonly BuiltinVocabulary[] = RAW.map((r) => ({
  ...r,
  topic: normalizeAll(r.topic),
  consumer: normalizeAll(r.consumer),
}))

/** Normalised term → concept id. */
export const CONCEPT_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(RAW_CONCEPTS).flatMap(([id, ws]) => normalizeAll(ws).map((t) => [t, id] as const)),
)

/** Normalised generic words (never entities). */
export const GENERIC: ReadonlySet<string> = new Set(normalizeAll(RAW_GENERIC.split(/\s+/)))
