/** Chooses the planner from the environment: the LLM planner with CHORUS_LLM_URL, else the template. */
import { chatConfigFromEnv } from './chat'
import { llmPlanner } from './llm'
import type { Planner } from './planner'
import { templatePlanner } from './template'

/** The LLM planner if CHORUS_LLM_URL is set, else the template planner. */
export function plannerFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Planner {
  const config = chatConfigFromEnv(env)
  return config ? llmPlanner(config) : templatePlanner()
}
