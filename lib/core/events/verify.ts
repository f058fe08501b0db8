/** Signature checks for events and invites through the injected verifier. */
import { encodeCanonical } from './codec'
import type { InviteBody, SignedInvite } from './kinds/invite'
import type { Signer, Verifier } from './signer'

/** Domain separation: an invite's signed bytes can never be mistaken for an event's. */
const INVITE_CONTEXT = 'chorus-mesh/invite/1'

/** The bytes an invite issuer signs. */
export const inviteSigningBytes = (body: InviteBody): Uint8Array => {
  const { sig: _sig, ...rest } = body as SignedInvite
  return encodeCanonical({ context: INVITE_CONTEXT, ...rest })
}

/** Sign an invite body as its issuer. */
export async function signInvite(body: InviteBody, signer: Signer): Promise<SignedInvite> {
  if (body.issuer !== signer.peerId) throw new RangeError('invite issuer is not the signer')
  return { ...body, sig: await signer.sign(inviteSigningBytes(body)) }
}

/** True if the invite carries a valid signature by its issuer. Never throws. */
export async function verifyInvite(invite: SignedInvite, verifier: Verifier): Promise<boolean> {
  try {
    return await verifier.verify(invite.issuer, inviteSigningBytes(invite), invite.sig)
  } catch {
    return false
  }
}
