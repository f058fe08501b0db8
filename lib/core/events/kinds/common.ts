/** Schemas shared by several payloads: ids and roles. */
import { z } from 'zod'
import type { EventId, PeerId, SessionId } from '../../ids'
import { isEd25519PeerId } from '../peer-id'

/** A CIDv1 (dag-cbor, sha2-256) in base32: 'b' + 58 characters. */
export const eventIdSchema = z
  .string()
  .regex(/^b[a-z2-7]{58}$/, 'an event id (CIDv1 base32)')
  .transform((s) => s as EventId)
export const peerIdSchema = z
  .string()
  .max(100)
  .refine(isEd25519PeerId, 'an Ed25519 libp2p peer id')
  .transform((s) => s as PeerId)
export const sessionIdSchema = z
  .string()
  .regex(/^ses_[0-9a-f]{32}$/, 'a session id')
  .transform((s) => s as SessionId)

export const ROLES = ['owner', 'admin', 'reviewer', 'agent', 'observer'] as const
export type Role = (typeof ROLES)[number]
export const roleSchema = z.enum(ROLES)

export const shortText = z.string().min(1).max(200)
export const longText = z.string().min(1).max(4000)
export const signatureSchema = z.custom<Uint8Array>((b) => b instanceof Uint8Array && b.length === 64, 'a 64-byte signature')
