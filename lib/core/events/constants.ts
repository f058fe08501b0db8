/** Envelope constants (DESIGN §1). A shipped envelope version is never edited. */
export const ENVELOPE_VERSION = 1 as const
/** Largest accepted encoded event, in bytes (DESIGN §1: ≤ 64 KiB). */
export const MAX_EVENT_BYTES = 64 * 1024
/** Most causal links (`deps`) one event may carry. */
export const MAX_DEPS = 8
/** Multicodec code of dag-cbor, used in event CIDs. */
export const DAG_CBOR_CODE = 0x71
/** Multihash code of sha2-256. */
export const SHA256_CODE = 0x12
