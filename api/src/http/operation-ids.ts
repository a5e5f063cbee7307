/**
 * The `operationId` of each operation: the method name a generated client (`@unionpoint/sdk`)
 * gives it. A route may set its own (`operationId` in its definition); a route named neither
 * there nor here gets one derived from its method and path (`operationIdFor`).
 */
const NAMED: Record<string, string> = {
  'POST /v1/auth/login': 'login',
  'GET /v1/auth/me': 'getSession',
  'POST /v1/auth/logout': 'logout',
  'POST /v1/platform/tenants': 'createTenant',
  'GET /v1/platform/tenants': 'listTenants',
  'POST /v1/platform/tenants/:id/suspend': 'suspendTenant',
  'POST /v1/platform/tenants/:id/reactivate': 'reactivateTenant',
  'GET /v1/program': 'getProgram',
  'PATCH /v1/program': 'updateProgram',
  'GET /v1/tiers': 'listTiers',
  'PUT /v1/tiers': 'replaceLadder',
  'PATCH /v1/tiers/:code': 'updateTier',
  'POST /v1/tiers/simulate': 'simulateLadder',
  'GET /v1/members/:member/tier-history': 'listTierHistory',
  'POST /v1/members/:member/tier': 'changeTier',
  'POST /v1/members/:member/tier-trial': 'startTierTrial',
  'GET /v1/stores': 'listStores',
  'POST /v1/stores': 'createStore',
  'GET /v1/api-keys': 'listApiKeys',
  'POST /v1/api-keys': 'createApiKey',
  'DELETE /v1/api-keys/:id': 'revokeApiKey',
  'POST /v1/members': 'enrolMember',
  'GET /v1/members': 'listMembers',
  'GET /v1/members/:member': 'getMember',
  'POST /v1/members/:member/identities': 'addIdentity',
  'POST /v1/members/:member/merge': 'mergeMembers',
  'GET /v1/coupon-templates': 'listCouponTemplates',
  'POST /v1/coupon-templates': 'createCouponTemplate',
  'PATCH /v1/coupon-templates/:code': 'updateCouponTemplate',
  'DELETE /v1/coupon-templates/:code': 'archiveCouponTemplate',
  'GET /v1/members/:member/coupons': 'listMemberCoupons',
  'POST /v1/members/:member/coupons': 'grantCoupon',
  'GET /v1/plans': 'listPlans',
  'POST /v1/plans': 'createPlan',
  'PATCH /v1/plans/:code': 'updatePlan',
  'DELETE /v1/plans/:code': 'archivePlan',
  'POST /v1/members/:member/plan': 'changeMemberPlan',
  'POST /v1/quotes': 'quote',
  'GET /v1/rewards': 'listRewards',
  'POST /v1/rewards': 'createReward',
  'PATCH /v1/rewards/:code': 'updateReward',
  'DELETE /v1/rewards/:code': 'archiveReward',
  'POST /v1/members/:member/rewards/:code/exchange': 'exchangeReward',
  'GET /v1/audit': 'listAudit',
  'POST /v1/orders': 'createOrder',
  'POST /v1/orders/:externalId/refunds': 'refundOrder',
  'POST /v1/members/:member/flag/clear': 'clearMemberFlag',
  'GET /v1/members/:member/ledger': 'listLedger',
  'POST /v1/members/:member/points/redeem': 'redeemPoints',
  'POST /v1/members/:member/points/adjust': 'adjustPoints',
  'POST /v1/members/:member/activities': 'recordActivity',
  'DELETE /v1/members/:member/activities/:reference': 'revokeActivity',
  'POST /v1/members/:member/check-ins': 'checkIn',
  'GET /v1/webhooks': 'listWebhooks',
  'POST /v1/webhooks': 'createWebhook',
  'DELETE /v1/webhooks/:id': 'deleteWebhook',
  'GET /v1/webhooks/:id/deliveries': 'listWebhookDeliveries',
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay': 'replayWebhookDelivery',
  'POST /v1/webhooks/:id/test': 'sendTestWebhookEvent',
  'POST /v1/retention/preview': 'previewRetention',
  'POST /v1/retention/runs': 'startRetentionRun',
  'GET /v1/retention/runs': 'listRetentionRuns',
  'GET /v1/retention/runs/:id': 'getRetentionRun',
  'GET /v1/analytics/summary': 'getAnalyticsSummary',
  'GET /v1/analytics/settlement': 'getSettlement',
  'POST /v1/imports': 'createImport',
  'PUT /v1/imports/:id/data': 'uploadImportData',
  'GET /v1/imports': 'listImports',
  'GET /v1/imports/:id': 'getImport',
};

const VERBS: Record<string, string> = { get: 'get', post: 'create', put: 'replace', patch: 'update', delete: 'delete' };
const pascal = (s: string) => s.replace(/(^|[-_.])([a-z0-9])/g, (_m, _p, c: string) => c.toUpperCase());

export function operationIdFor(method: string, path: string, own?: string): string {
  if (own) return own;
  const named = NAMED[`${method.toUpperCase()} ${path}`];
  if (named) return named;
  const segments = path.split('/').filter((s) => s && s !== 'v1');
  const words = segments.filter((s) => !s.startsWith(':')).map(pascal);
  const itemRead = method === 'get' && segments.at(-1)?.startsWith(':');
  const verb = method === 'get' ? (itemRead ? 'get' : 'list') : VERBS[method]!;
  return verb + words.join('');
}
