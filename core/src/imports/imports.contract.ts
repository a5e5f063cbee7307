import { z, cents, rfc3339, str, INT4_MAX } from '../shared/zod.ts';
import { profileSchema } from '../members/index.ts';

export const IMPORT_KINDS = ['members', 'orders', 'points_balances'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['awaiting_data', 'processing', 'completed', 'failed'] as const;

/** The largest upload, bytes (API.md: up to 256 MiB). */
export const IMPORT_MAX_BYTES = 256 * 1024 * 1024;
/** The longest line, bytes: a record is small; a longer line is reported and skipped. */
export const IMPORT_MAX_LINE_BYTES = 64 * 1024;
/** Errors answered with an import (the first by line). */
export const IMPORT_ERRORS_SHOWN = 100;

export const createImportBody = z
  .object({
    kind: z
      .enum(IMPORT_KINDS)
      .describe(
        'What the upload holds, one record a line: `members` (join dates, identities, profile), `orders` (with refunds) or `points_balances` (opening balances)',
      )
      .openapi('ImportKind'),
  })
  .strict()
  .describe('Start a history import; upload its NDJSON with PUT /v1/imports/{id}/data')
  .openapi('CreateImport', { example: { kind: 'orders' } });
export type CreateImportInput = z.infer<typeof createImportBody>;

export const importCreatedSchema = z
  .object({
    id: z.string().describe('Import id `imp_…`'),
    status: z.literal('awaiting_data').describe('Always `awaiting_data`: upload the data next'),
  })
  .describe('The new import');

export const importErrorSchema = z
  .object({
    line: z.number().int().describe('Line number in the uploaded file (1-based)'),
    message: z.string().describe('Why the line was skipped'),
  })
  .describe('A line that was reported and skipped');

export const importSchema = z
  .object({
    id: z.string().describe('Import id `imp_…`'),
    kind: createImportBody.shape.kind,
    status: z
      .enum(IMPORT_STATUSES)
      .describe(
        '`awaiting_data` (no complete upload yet), `processing` (the worker applies the lines), `completed`, or `failed` (see `error`)',
      )
      .openapi('ImportStatus'),
    total: z.number().int().describe('Records (non-blank lines) in the upload; 0 before it'),
    processed: z.number().int().describe('Records done so far (imported or skipped): progress is processed / total'),
    imported: z.number().int().describe('Records written'),
    skipped: z.number().int().describe('Records skipped: bad lines, and records already imported (by their key)'),
    errors: z.array(importErrorSchema).describe(`The first ${IMPORT_ERRORS_SHOWN} bad lines by line number`),
    error: z.string().nullable().describe('Why the import failed, when `status` is `failed`'),
    createdAt: z.string().describe('When the import was created (RFC 3339)'),
    startedAt: z.string().nullable().describe('When processing started (RFC 3339)'),
    finishedAt: z.string().nullable().describe('When processing ended (RFC 3339)'),
  })
  .describe('A history import and its progress')
  .openapi('Import');
export type ImportDto = z.infer<typeof importSchema>;

export const importListItemSchema = importSchema
  .omit({ errors: true })
  .describe('A history import (without its errors)')
  .openapi('ImportSummary');
export type ImportListItemDto = z.infer<typeof importListItemSchema>;

export const importUploadedSchema = z
  .object({
    id: z.string().describe('Import id'),
    status: z.enum(IMPORT_STATUSES).describe('`processing` once the upload is stored'),
    total: z.number().int().describe('Records received'),
    skipped: z.number().int().describe('Lines already refused while reading (bad JSON or fields)'),
  })
  .describe('The upload is stored; the worker applies it');

// ---- Records, one a line (docs/imports.md) ----
const time = () => rfc3339();
const storeCode = () => str(64).describe('Store code (GET /v1/stores)');

export const memberRecordSchema = z
  .object({
    unionId: str(128),
    joinedAt: time(),
    openIds: z
      .array(z.object({ storeCode: storeCode(), openId: str(128) }).strict())
      .max(50)
      .optional(),
    profile: profileSchema.optional(),
  })
  .strict();
export type MemberRecord = z.infer<typeof memberRecordSchema>;

export const orderRecordSchema = z
  .object({
    externalId: str(255),
    member: str(200),
    storeCode: storeCode(),
    amountCents: cents(),
    completedAt: time(),
    refunds: z
      .array(z.object({ refundId: str(255), amountCents: cents().refine((n) => n > 0, 'must be above 0'), at: time() }).strict())
      .max(100)
      .optional(),
  })
  .strict();
export type OrderRecordInput = z.infer<typeof orderRecordSchema>;

export const balanceRecordSchema = z
  .object({
    member: str(200),
    points: z.number().int().min(1).max(INT4_MAX),
    expiresAt: time().optional(),
    reference: str(255),
  })
  .strict();
export type BalanceRecordInput = z.infer<typeof balanceRecordSchema>;
