/** Invites as text for links (`/join#invite=…`) and CLI flags: base64url of dag-cbor. */
import * as dagCbor from '@ipld/dag-cbor'
import { base64url } from 'multiformats/bases/base64'
import { encodeCanonical } from './codec'
import { signedInviteSchema, type SignedInvite } from './kinds/invite'

/** Encode a signed invite as a URL-safe string. */
export const encodeInviteText = (invite: SignedInvite): string => base64url.encode(encodeCanonical(invite))

/** Decode an invite string; null if it is not a well-formed signed invite. */
export function decodeInviteText(text: string): SignedInvite | null {
  try {
    const parsed = signedInviteSchema.safeParse(dagCbor.decode(base64url.decode(text.trim())))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
