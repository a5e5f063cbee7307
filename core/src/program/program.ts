import type { Tx } from '@unionpoint/db';
import type { TenantContext } from '../shared/context.ts';
import { announceChange, cachedConfig, markConfigWritten } from '../shared/config-cache.ts';
import { notFound, validationFailed, forbidden } from '../shared/errors.ts';
import { fixedZone, type ZoneHistory } from '../shared/time.ts';
import { recordAudit } from '../audit/index.ts';
import { programSettingsSchema, type Program, type ProgramPatch, type ProgramSettings } from './program.contract.ts';

export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = programSettingsSchema.parse({});

type ProgramRow = { currency: string; timezone: string; previousTimezone?: string | null; timezoneChangedAt?: Date | null; qualificationModel: string; settings: unknown; version: number };

export function toProgram(row: ProgramRow): Program {
  return {
    ...programSettingsSchema.parse(row.settings ?? {}),
    currency: row.currency,
    timezone: row.timezone,
    timezoneChange: row.previousTimezone && row.timezoneChangedAt ? { previous: row.previousTimezone, at: row.timezoneChangedAt.toISOString() } : null,
    qualificationModel: row.qualificationModel as Program['qualificationModel'],
    version: row.version,
  };
}

/** A new tenant's program (onboarding): PRODUCT defaults, the growth model. */
export async function createProgram(tx: Tx, ctx: TenantContext, input: { currency: string; timezone: string }): Promise<void> {
  await tx.program.create({
    data: { tenantId: ctx.tenantId, currency: input.currency, timezone: input.timezone, qualificationModel: 'growth', settings: DEFAULT_PROGRAM_SETTINGS as object },
  });
}

/** The tenant's program, through the per-tenant config cache (see shared/config-cache.ts). */
export async function getProgram(tx: Tx, ctx: TenantContext): Promise<Program> {
  return cachedConfig(tx, ctx.tenantId, 'program', () => loadProgram(tx, ctx));
}

async function loadProgram(tx: Tx, ctx: TenantContext): Promise<Program> {
  const row = await tx.program.findUnique({ where: { tenantId: ctx.tenantId } });
  if (!row) throw notFound('Program');
  return toProgram(row);
}

function mergeDeep(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergeDeep(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** The zone of the program with its last change, for period and window computations. */
export function programZone(program: Pick<Program, 'timezone' | 'timezoneChange'>): ZoneHistory {
  const c = program.timezoneChange;
  return c ? { timezone: program.timezone, previous: c.previous, changedAt: new Date(c.at) } : fixedZone(program.timezone);
}

/**
 * PATCH /v1/program. A new `timezone` applies to benefit periods and task windows from the next
 * period on: the zone before it and the change time `at` are kept (`timezoneChange`).
 */
export async function updateProgram(tx: Tx, ctx: TenantContext, patch: ProgramPatch, at = new Date()): Promise<Program> {
  if (ctx.boundStoreId) throw forbidden('A store-bound key cannot change the program');
  markConfigWritten(tx, ctx.tenantId);
  const before = await getProgram(tx, ctx);
  const { currency, timezone, qualificationModel, ...settingsPatch } = patch;
  const { currency: _c, timezone: _t, timezoneChange: _tc, qualificationModel: _q, version: _v, ...settings } = before;
  const zoneChanged = timezone !== undefined && timezone !== before.timezone;
  const merged = programSettingsSchema.safeParse(mergeDeep(settings, settingsPatch as Record<string, unknown>));
  if (!merged.success) {
    throw validationFailed(merged.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const row = await tx.program.update({
    where: { tenantId: ctx.tenantId },
    data: {
      settings: merged.data,
      ...(currency ? { currency } : {}),
      ...(timezone ? { timezone } : {}),
      ...(zoneChanged ? { previousTimezone: before.timezone, timezoneChangedAt: at } : {}),
      ...(qualificationModel ? { qualificationModel } : {}),
      version: { increment: 1 },
    },
  });
  const after = toProgram(row);
  await announceChange(tx, 'unionpoint_config', ctx.tenantId);
  await recordAudit(tx, ctx, { action: 'program.updated', targetType: 'program', targetId: ctx.tenantId, before, after });
  return after;
}

/**
 * Marks the tenant's configuration (program or ladder) as changed: increments `version` and
 * notifies `unionpoint_config` listeners (delivered at commit), so caches in every process drop
 * the tenant's program and ladder.
 */
export async function bumpProgramVersion(tx: Tx, ctx: TenantContext): Promise<void> {
  markConfigWritten(tx, ctx.tenantId);
  await tx.$executeRaw`UPDATE programs SET version = version + 1 WHERE tenant_id = ${ctx.tenantId}`;
  await announceChange(tx, 'unionpoint_config', ctx.tenantId);
}
