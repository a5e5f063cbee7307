// Liveness of the dashboard's server (the Kubernetes probe, infra/k8s/web.yaml): it answers.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
