/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // node-datachannel (the Node side of @libp2p/webrtc) is a native addon; keep it out of the
  // server bundle. The tab's libp2p node only ever starts in the browser (NOTES-libp2p).
  serverExternalPackages: ['@libp2p/webrtc', 'node-datachannel'],
  // The whole project is type-checked by `npm run typecheck` (part of `npm test`, with the
  // CLI and tests the app build never sees); repeating it here only slows the first `npm start`.
  typescript: { ignoreBuildErrors: true },
}

export default nextConfig
