import { Routes } from '../http/route.ts';
import { platformRoutes } from './platform.ts';
import { programRoutes } from './program.ts';
import { tierRoutes } from './tiers.ts';
import { couponRoutes } from './coupons.ts';
import { planRoutes } from './plans.ts';
import { quoteRoutes } from './quotes.ts';
import { rewardRoutes } from './rewards.ts';
import { storeRoutes } from './stores.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { memberRoutes } from './members.ts';
import { auditRoutes } from './audit.ts';
import { sessionRoutes } from './session.ts';
import { orderRoutes } from './orders.ts';
import { pointsRoutes } from './points.ts';
import { activityRoutes } from './activities.ts';
import { webhookRoutes } from './webhooks.ts';
import { retentionRoutes } from './retention.ts';
import { recomputeRoutes } from './recompute.ts';
import { analyticsRoutes } from './analytics.ts';
import { userRoutes } from './users.ts';
import { benefitRoutes } from './benefits.ts';
import { taskRoutes } from './tasks.ts';
import { campaignRoutes } from './campaigns.ts';
import { meRoutes } from './me.ts';
import { tenantRoutes } from './tenant.ts';
import { importRoutes } from './imports.ts';
import { tierChangeReasonSchema } from '@unionpoint/core/tiers';

/** Every route of the API, in one list: mounted and documented from the same definitions. */
export function buildRoutes(): Routes {
  const routes = new Routes();
  sessionRoutes(routes);
  platformRoutes(routes);
  programRoutes(routes);
  tierRoutes(routes);
  storeRoutes(routes);
  apiKeyRoutes(routes);
  memberRoutes(routes);
  couponRoutes(routes);
  planRoutes(routes);
  quoteRoutes(routes);
  rewardRoutes(routes);
  auditRoutes(routes);
  orderRoutes(routes);
  pointsRoutes(routes);
  activityRoutes(routes);
  webhookRoutes(routes);
  retentionRoutes(routes);
  recomputeRoutes(routes);
  analyticsRoutes(routes);
  userRoutes(routes);
  benefitRoutes(routes);
  taskRoutes(routes);
  campaignRoutes(routes);
  meRoutes(routes);
  tenantRoutes(routes);
  importRoutes(routes);
  // Codes a response carries in a free-text field (a tier change's reason), documented by name
  // so clients can show each in words.
  routes.registry.register('TierChangeReason', tierChangeReasonSchema);
  return routes;
}
