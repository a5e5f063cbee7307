import { randomBytes } from 'node:crypto';
import { allowPrivateNetworksFromEnv } from '@unionpoint/core/webhooks';

export interface ApiConfig {
  port: number;
  platformApiKey: string | null;
  sessionSecret: string;
  /** Requests per minute per API key or login. */
  rateLimitPerMinute: number;
  trustProxy: boolean;
  cookieSecure: boolean;
  corsOrigins: string[];
  logLevel: string;
  platformAdmin: { email: string; password: string } | null;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS=true accepts webhook URLs on loopback/private networks (refused with NODE_ENV=production). */
  webhookAllowPrivateNetworks: boolean;
  /** Where the queue board (/admin/queues) finds the queues: REDIS_URL, else PostgreSQL. */
  queueRedisUrl: string | null;
  /** The member center's page: a member session's centerUrl is this with `#token=…` (MEMBER_CENTER_URL). */
  memberCenterUrl: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const production = env.NODE_ENV === 'production';
  return {
    port: Number(env.PORT ?? 4000),
    platformApiKey: env.PLATFORM_API_KEY || null,
    // Without SESSION_SECRET sessions last until restart; production must set it.
    sessionSecret: env.SESSION_SECRET || randomBytes(32).toString('hex'),
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 3000),
    trustProxy: env.TRUST_PROXY === 'true',
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : production,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    platformAdmin:
      env.PLATFORM_ADMIN_EMAIL && env.PLATFORM_ADMIN_PASSWORD ? { email: env.PLATFORM_ADMIN_EMAIL, password: env.PLATFORM_ADMIN_PASSWORD } : null,
    webhookAllowPrivateNetworks: allowPrivateNetworksFromEnv(env),
    queueRedisUrl: env.REDIS_URL || null,
    memberCenterUrl: env.MEMBER_CENTER_URL || 'http://localhost:3000/m',
  };
}
