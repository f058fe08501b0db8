/**
 * The app's path prefix (`CHORUS_BASE_PATH`, e.g. `/team`) is fixed at build time, as Next.js
 * requires; `chorus-mesh start --public-url https://host/team/` sets it and rebuilds when it
 * changes. The browser reads it back as NEXT_PUBLIC_CHORUS_BASE_PATH to find `/api/room`.
 */
const basePath = (process.env.CHORUS_BASE_PATH ?? '').replace(/\/+$/, '')
if (basePath !== '' && !/^\/[A-Za-z0-9._~\-/]+$/.test(basePath)) {
  throw new Error(`CHORUS_BASE_PATH=${basePath}: expected a path such as /team`)
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  basePath,
  env: { NEXT_PUBLIC_CHORUS_BASE_PATH: basePath },
  // node-datachannel (the Node side of @libp2p/webrtc) is a native addon; keep it out of the
  // server bundle. The tab's libp2p node only ever starts in the browser.
  serverExternalPackages: ['@libp2p/webrtc', 'node-datachannel'],
  // The whole project is type-checked by `npm run typecheck` (part of `npm test`, with the
  // CLI and tests the app build never sees); repeating it here only slows the first `npm start`.
  typescript: { ignoreBuildErrors: true },
}

export default nextConfig
