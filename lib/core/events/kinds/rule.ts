/** `rule.added` (a declarative custom rule) and `rule.removed`. */
import { z } from 'zod'
import { customRuleSchema } from '../../rules/types'

export const ruleAddedSchema = z.object({ rule: customRuleSchema })
export const ruleRemovedSchema = z.object({ name: z.string().min(1).max(64) })
export type RuleAdded = z.infer<typeof ruleAddedSchema>
export type RuleRemoved = z.infer<typeof ruleRemovedSchema>
