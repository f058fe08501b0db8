'use client'
/**
 * Tells the reader when the page is not a secure context (plain http from another host):
 * browsers then withhold Web Locks and WebCrypto, so every tab of this browser would share one
 * identity. Says what to do instead of failing silently.
 */
import { useEffect, useState } from 'react'
import { secureContextAdvice } from './advice'

/** A banner shown only outside a secure context. */
export function SecureContextNotice() {
  const [advice, setAdvice] = useState<string | null>(null)
  useEffect(() => setAdvice(secureContextAdvice(window.isSecureContext, window.location)), [])
  if (advice == null) return null
  return (
    <div role="alert" data-testid="insecure-context" className="border-b border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <p className="mx-auto max-w-6xl">
        <strong>This page is not a secure context, so Chorus Mesh cannot keep one identity per tab.</strong> {advice}
      </p>
    </div>
  )
}
