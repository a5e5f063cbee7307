import { randomBytes } from 'node:crypto';
import { allowPrivateNetworksFromEnv } from '@unionpoint/core/webhooks';
import { DEFAULT_REPLICA_OPTIONS } from './http/replica.ts';

const positive = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);

export interface ApiConfig {
  port: number;
  platformApiKey: string | null;
  sessionSecret: string;
  /** Requests per minute per API key or login. */
  rateLimitPerMinute: number;
  /**
   * Express's `trust proxy`: which hops in front of the API may say who the client is with
   * X-Forwarded-For (req.ip, the login limit's client address). false: none, the socket's
   * address counts and a sent X-Forwarded-For is ignored.
   */
  trustProxy: boolean | number | string;
  cookieSecure: boolean;
  corsOrigins: string[];
  logLevel: string;
  platformAdmin: { email: string; password: string } | null;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS=true accepts webhook URLs on loopback/private networks (refused with NODE_ENV=production). */
  webhookAllowPrivateNetworks: boolean;
  /** Where the queue board (/admin/queues) finds the queues: REDIS_URL, else PostgreSQL. */
  queueRedisUrl: string | null;
  /** REDIS_CLUSTER_NODES: a Redis Cluster for rate limits, login counters and the queue board (wins over REDIS_URL). */
  redisClusterNodes: string | null;
  /** DATABASE_REPLICA_URL: a streaming replica for the routes marked `replica` (null: the primary serves every read). */
  replicaUrl: string | null;
  /** DATABASE_REPLICA_MAX_LAG_MS and DATABASE_REPLICA_PROBE_MS (see http/replica.ts). */
  replica: { maxLagMs: number; probeMs: number };
  /** The member center's page: a member session's centerUrl is this with `#token=…` (MEMBER_CENTER_URL). */
  memberCenterUrl: string;
  /**
   * METRICS_PORT: /metrics on this port only (an internal one), not on the API's port. Unset:
   * /metrics on the API's port, which production serves only with METRICS_TOKEN set.
   */
  metricsPort: number | null;
  /** METRICS_TOKEN: /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM lets in-flight requests finish before cutting them. */
  shutdownTimeoutMs: number;
  production: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const production = env.NODE_ENV === 'production';
  return {
    port: Number(env.PORT ?? 4000),
    platformApiKey: env.PLATFORM_API_KEY || null,
    // Without SESSION_SECRET sessions last until restart; production must set it.
    sessionSecret: env.SESSION_SECRET || randomBytes(32).toString('hex'),
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 3000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : production,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    platformAdmin:
      env.PLATFORM_ADMIN_EMAIL && env.PLATFORM_ADMIN_PASSWORD ? { email: env.PLATFORM_ADMIN_EMAIL, password: env.PLATFORM_ADMIN_PASSWORD } : null,
    webhookAllowPrivateNetworks: allowPrivateNetworksFromEnv(env),
    queueRedisUrl: env.REDIS_URL || null,
    redisClusterNodes: env.REDIS_CLUSTER_NODES || null,
    memberCenterUrl: env.MEMBER_CENTER_URL || 'http://localhost:3000/m',
    metricsPort: env.METRICS_PORT && Number.isInteger(Number(env.METRICS_PORT)) ? Number(env.METRICS_PORT) : null,
    metricsToken: env.METRICS_TOKEN || null,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS && Number.isFinite(Number(env.SHUTDOWN_TIMEOUT_MS)) ? Number(env.SHUTDOWN_TIMEOUT_MS) : 25_000,
    production,
    replicaUrl: env.DATABASE_REPLICA_URL || null,
    replica: {
      maxLagMs: positive(env.DATABASE_REPLICA_MAX_LAG_MS, DEFAULT_REPLICA_OPTIONS.maxLagMs),
      probeMs: positive(env.DATABASE_REPLICA_PROBE_MS, DEFAULT_REPLICA_OPTIONS.probeMs),
    },
  };
}

/**
 * TRUST_PROXY: unset, empty or `false` trusts no proxy; a whole number trusts that many hops in
 * front of the API (`1`: the dashboard or one load balancer); otherwise a comma-separated list
 * of addresses, subnets or the names `loopback`, `linklocal`, `uniquelocal` (the hops that may
 * set X-Forwarded-For). `true` trusts every hop, so the left-most address a client sends wins:
 * only for a proxy that overwrites the header.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
}
