export { createDb, withTenant, hasUndefinedTenantFilter, UndefinedTenantFilterError, APP_ROLE, setTenantSql } from './client.ts';
export type { Db, DbClient, Tx, CreateDbOptions, WithTenantOptions } from './client.ts';
export { DbQueryError, TransactionUnavailableError, afterCommit, deferStatement, leadStatement, queryBatch } from './tenant-transaction.ts';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable.ts';
export { databaseUrl, poolConfigFromUrl, withDatabase, DEFAULT_DATABASE_URL } from './connection.ts';
export { Prisma } from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export type * from './generated/prisma/models.ts';
export {
  startTracing,
  stopTracing,
  tracingEnabled,
  inSpan,
  startServerSpan,
  markSpanError,
  currentTraceparent,
  linkTo,
  SpanKind,
} from './telemetry.ts';
export type { TracingOptions, Span, Link } from './telemetry.ts';
export { parseLsn, primaryWalPosition, replicaReplayPosition } from './replication.ts';
