/** Errors of agent operations, with a reason the MCP server and the gateway map to their protocols. */

export const OPS_ERROR_REASONS = ['invalid', 'not_found', 'not_yours', 'not_participant', 'conflict'] as const
export type OpsErrorReason = (typeof OPS_ERROR_REASONS)[number]

/** A refused operation; the message says what to do instead. */
export class OpsError extends Error {
  static override name = 'OpsError'
  constructor(
    readonly reason: OpsErrorReason,
    detail: string,
  ) {
    super(detail)
  }
}
