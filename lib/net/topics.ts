/** Gossipsub topic names for a room (DESIGN §4). Versioned so a later wire format can coexist. */
export const PROTOCOL_PREFIX = '/chorus-mesh/1'

/** The room's signed event log (push half of replication). */
export const eventsTopic = (room: string): string => `${PROTOCOL_PREFIX}/${room}/events`

/** Presence heartbeats: not part of the log (DESIGN §3). */
export const presenceTopic = (room: string): string => `${PROTOCOL_PREFIX}/${room}/presence`

/** Peer discovery (discovery.ts): tabs and listening agents announce their signed addresses here. */
export const discoveryTopic = (room: string): string => `${PROTOCOL_PREFIX}/${room}/discovery`

/** Every topic a room member subscribes to. */
export const roomTopics = (room: string): string[] => [eventsTopic(room), presenceTopic(room), discoveryTopic(room)]
