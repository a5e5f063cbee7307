import { MemberCenter } from './member-center';

// The member center (会员中心), for storefronts to embed (WebView, mini-program web-view, iframe)
// at a member session's centerUrl: /m/<tenant id>#token=upm_…. The token lives in the fragment
// (never sent to a server, never in a log or a Referer); the page reads it in the browser and
// calls /v1/me through this server's /v1 forwarder. Headers (frame-ancestors from the tenant's
// branding, Referrer-Policy: no-referrer) are set by src/proxy.ts.
export const metadata = { title: 'Member center', robots: { index: false, follow: false }, referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

export default async function MemberCenterPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  return <MemberCenter tenant={tenant} />;
}
