// Readiness of the dashboard's server (infra/k8s/web.yaml). It serves its pages whether or not
// the API answers (they show the API's absence themselves), so the API's state is reported in
// the body and does not decide: a slow API must not pull every dashboard pod out of service.
import { apiUrl } from '@/lib/upstream';

export const dynamic = 'force-dynamic';

export async function GET() {
  let api: 'ok' | 'down' = 'down';
  try {
    const r = await fetch(`${apiUrl()}/healthz`, { cache: 'no-store', signal: AbortSignal.timeout(1000) });
    if (r.ok) api = 'ok';
  } catch {
    // reported as down
  }
  return Response.json({ status: 'ok', checks: { api } }, { headers: { 'Cache-Control': 'no-store' } });
}
