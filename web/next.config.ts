import type { NextConfig } from 'next';

// /v1/* is forwarded to the API by the route handler in src/app/v1/[...path]/route.ts, which
// reads API_URL when the server runs (rewrites in this file are fixed at build time), so the
// browser talks to one origin and the httpOnly session cookie stays first-party.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: new URL('..', import.meta.url).pathname },
};
export default config;
