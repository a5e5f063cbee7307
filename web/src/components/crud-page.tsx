'use client';
import { useEffect, useRef, useState } from 'react';
import type { QueryKey } from '@tanstack/react-query';
import type { Locale, MessageKey } from '@/i18n';
import type { Api } from '@/lib/api';
import {
  currencySymbol,
  discountInput,
  formatDiscount,
  formatMultiplier,
  formatPercentOff,
  moneyInput,
  multiplierInput,
  parseCount,
  parseDiscount,
  parseMoney,
  parseMultiplier,
  parsePercentOff,
  percentOffInput,
  type Parsed,
} from '@/lib/units';
import { fieldErrorsOf, problemText, UnitField, unitErrorText } from './form';
import { useToast } from './toast';
import { useApp, useCan } from './providers';
import { Badge, Button, Card, ConfirmDialog, PageTitle, Select, SubmitForm } from './ui';
import { DataList, EmptyState, QueryView } from './data-ui';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

/**
 * The merchant unit of a number field: `money` (typed in the currency, sent as cents), `discount`
 * (a price paid in bps, typed as 折 / % off), `percentOff` (an amount off in bps, typed the same
 * way), `multiplier` (×1.2 for 12000). Plain `number` fields are whole counts.
 */
export type CrudUnit = 'money' | 'discount' | 'percentOff' | 'multiplier';

export interface CrudFormat {
  money(cents: number): string;
  locale: Locale;
  t: (key: MessageKey) => string;
}

/** A value in the field's unit, for the list. */
export function showUnit(unit: CrudUnit | undefined, v: unknown, f: CrudFormat): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number' || !unit) return String(v);
  if (unit === 'money') return f.money(v);
  if (unit === 'multiplier') return formatMultiplier(v);
  if (unit === 'discount') return formatDiscount(v, f.locale) ?? f.t('units.noDiscount');
  return formatPercentOff(v, f.locale) ?? f.t('units.noDiscount');
}

function unitInput(unit: CrudUnit | undefined, v: unknown, locale: Locale): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'number' || !unit) return String(v);
  if (unit === 'money') return moneyInput(v);
  if (unit === 'multiplier') return multiplierInput(v);
  if (unit === 'discount') return discountInput(v, locale);
  return percentOffInput(v, locale);
}

function parseUnit(unit: CrudUnit | undefined, text: string, locale: Locale): Parsed {
  if (unit === 'money') return parseMoney(text);
  if (unit === 'multiplier') return parseMultiplier(text);
  if (unit === 'discount') return parseDiscount(text, locale);
  if (unit === 'percentOff') return parsePercentOff(text, locale);
  return parseCount(text);
}

/** A typed value refused before anything is sent: the field's message is shown on it. */
class FieldInputError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('field input');
  }
}

export interface CrudField {
  name: string;
  label: MessageKey;
  type: 'text' | 'number' | 'select';
  required?: boolean;
  /** A select's choices: a message key, or a text from the API (a template's name). */
  options?: ({ value: string; label: MessageKey } | { value: string; text: string })[];
  /** The list's column header, when shorter than the form label. */
  column?: MessageKey;
  /** Shown in the list; defaults to the value in its unit. */
  show?: (row: Record<string, unknown>, format: CrudFormat) => string;
  /** The merchant unit of a number field (money, discount…): shown and typed in it, sent as the API's integer. */
  unit?: CrudUnit;
  /** Fixed once created (the code): shown, not edited. */
  immutable?: boolean;
  /** Emptied in the edit form, the field is sent as null (unlimited stock, no coupon). */
  nullable?: boolean;
  /** A hint under the field in the edit form. */
  editHint?: MessageKey;
  /** A list column only (a counter the API keeps), not in the forms. */
  listOnly?: boolean;
  /** In the forms only, not a list column (shown through another column). */
  formOnly?: boolean;
  /** The field lives in a nested object of the item (a plan's `benefits`): read and sent there. */
  within?: string;
}

type Row = Record<string, unknown> & { code: string; archivedAt?: string | null };

/** A refused save in the user's language, by the problem's code. */
function FormProblem({ error }: { error: Error }) {
  const { t, locale } = useApp();
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {problemText(t, locale, error)}
    </div>
  );
}

export interface CrudSource {
  /** The resource's query key root (`keys.plans()`): a write here refreshes every view of it. */
  key: QueryKey;
  /** The empty list: what it holds and what to do (create the first one in the form beside it). */
  empty: { title: MessageKey; body: MessageKey };
  list(api: Api, includeArchived: boolean): Promise<{ data: object[] }>;
  /** `body` holds the filled-in fields, numbers as numbers; the API validates the rest. */
  create(api: Api, body: Record<string, unknown>): Promise<unknown>;
  /** A partial update: only the fields that changed. */
  update(api: Api, code: string, body: Record<string, unknown>): Promise<unknown>;
  /** Archives the item: no longer offered for new use; what was issued keeps working. */
  archive(api: Api, code: string): Promise<unknown>;
}

/**
 * A form field's value for the API: numbers in the API's integer unit (cents, bps); empty is
 * absent, or null when nullable. A value that does not parse is collected in `bad` by field.
 */
function valueOf(f: CrudField, raw: FormDataEntryValue | null, forEdit: boolean, locale: Locale, bad: Record<string, UnitErr>): unknown {
  const v = String(raw ?? '').trim();
  if (v === '') return forEdit && f.nullable ? null : undefined;
  if (f.type !== 'number') return v;
  const p = parseUnit(f.unit, v, locale);
  if (p.ok) return p.value;
  bad[inputName(f)] = p.error;
  return undefined;
}
type UnitErr = Parsed extends infer P ? (P extends { ok: false; error: infer E } ? E : never) : never;

/** The form control's name: nested fields carry their parent (`benefits.discountBps`). */
function inputName(f: CrudField): string {
  return f.within ? `${f.within}.${f.name}` : f.name;
}

/** The field's current value on an item, nested ones included. */
function valueIn(row: Row, f: CrudField): unknown {
  return f.within ? ((row[f.within] ?? {}) as Record<string, unknown>)[f.name] : row[f.name];
}

/**
 * A catalogue resource (coupon templates, rewards, plans): the list, a create form, an edit
 * form that sends only what changed (the code is fixed), and archive behind a confirmation.
 * Archived items are hidden unless "Show archived" is ticked.
 */
export function CrudPage({
  title,
  source,
  fields,
  wide = false,
}: {
  title: MessageKey;
  source: CrudSource;
  fields: CrudField[];
  /** Many columns: the list takes the page's width and the form sits below it, its fields side by side. */
  wide?: boolean;
}) {
  const { t, api, locale, money, tenant } = useApp();
  const canWrite = useCan()('write');
  const fmt: CrudFormat = { money, locale, t };
  const [showArchived, setShowArchived] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const list = useApiQuery(keys.catalogue(source.key, showArchived), async () => (await source.list(api, showArchived)) as { data: Row[] });
  const [error, setError] = useState<Error | null>(null);
  const [editError, setEditError] = useState<Error | null>(null);
  const [editing, setEditing] = useState<Row | null>(null);
  const [archiving, setArchiving] = useState<Row | null>(null);
  // Every write reads the resource's lists again (before its promise settles, so an edit opened
  // right after a save starts from what was saved) and says what happened in a toast.
  const refresh = () => [source.key];
  const create = useApiMutation({
    run: (body: Record<string, unknown>) => source.create(api, body),
    invalidate: refresh,
    success: (_, body) => t('catalogue.created', { code: String(body.code ?? '') }),
  });
  const update = useApiMutation({
    run: (v: { code: string; body: Record<string, unknown> }) => source.update(api, v.code, v.body),
    invalidate: refresh,
    success: (_, v) => t('catalogue.saved', { code: v.code }),
  });
  const archive = useApiMutation({
    run: (code: string) => source.archive(api, code),
    invalidate: refresh,
    success: (_, code) => t('catalogue.archivedNote', { code }),
  });
  const toast = useToast();
  const optionText = (o: NonNullable<CrudField['options']>[number]) => ('text' in o ? o.text : t(o.label));
  const editCard = useRef<HTMLDivElement>(null);
  /** Values that do not parse in their unit stop the submit, each shown on its field. */
  const refuse = (bad: Record<string, UnitErr>) => {
    if (Object.keys(bad).length)
      throw new FieldInputError(Object.fromEntries(Object.entries(bad).map(([k, e]) => [k, unitErrorText(t, e)])));
  };
  /** A failed submit: field errors (typed or the API's `errors[].path`) on their fields, the rest as a note. */
  const failed = (e: Error | null, setNote: (e: Error | null) => void) => {
    if (e === null) {
      setFieldErrors({});
      setNote(null);
      return;
    }
    if (e instanceof FieldInputError) {
      setFieldErrors(e.fields);
      setNote(null);
      return;
    }
    const names = new Set(fields.map(inputName));
    const { fields: fe, rest } = fieldErrorsOf(t, locale, e, (path) => (names.has(path) ? path : undefined));
    setFieldErrors(fe);
    setNote(rest ?? (Object.keys(fe).length ? null : e));
  };
  const inputs = fields.filter((f) => !f.listOnly);
  const fieldGrid = wide ? 'grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4' : 'flex flex-col gap-3';
  const columns = fields.filter((f) => !f.formOnly);

  useEffect(() => {
    // Keyboard users land in the edit form they opened.
    if (editing) editCard.current?.querySelector<HTMLElement>('input:not([readonly]), select')?.focus();
  }, [editing]);

  const input = (f: CrudField, row: Row | null) => {
    const current = row ? valueIn(row, f) : undefined;
    const initial = unitInput(f.type === 'number' ? f.unit : undefined, current, locale);
    if (f.type === 'select') {
      // A stored value the choices no longer hold (an archived template) stays chosen, marked.
      const options = [
        ...(f.options ?? []),
        ...(initial !== undefined && initial !== '' && !f.options?.some((o) => o.value === initial)
          ? [{ value: initial, text: t('pickers.missing', { code: initial }) }]
          : []),
      ];
      return (
        <Select key={inputName(f)} label={t(f.label)} name={inputName(f)} defaultValue={initial ?? f.options?.[0]?.value}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {optionText(o)}
            </option>
          ))}
        </Select>
      );
    }
    const adorn =
      f.unit === 'money'
        ? { prefix: currencySymbol(tenant.currency, locale) }
        : f.unit === 'discount' || f.unit === 'percentOff'
          ? { suffix: t('units.discountSuffix') }
          : f.unit === 'multiplier'
            ? { prefix: '×' }
            : {};
    return (
      <UnitField
        key={inputName(f)}
        label={t(f.label)}
        name={inputName(f)}
        inputMode={f.type === 'number' ? 'decimal' : 'text'}
        required={f.required}
        defaultValue={initial}
        readOnly={row !== null && f.immutable}
        {...adorn}
        error={fieldErrors[inputName(f)]}
        onInput={() => setFieldErrors((e) => (e[inputName(f)] ? { ...e, [inputName(f)]: '' } : e))}
        hint={row && f.editHint ? t(f.editHint) : row && f.immutable ? t('catalogue.fixedOnce') : undefined}
      />
    );
  };

  return (
    <>
      <PageTitle>{t(title)}</PageTitle>
      <div className={`grid grid-cols-1 gap-4 ${wide ? '' : 'lg:grid-cols-3'}`}>
        <Card className={`min-w-0 ${wide ? '' : canWrite ? 'lg:col-span-2' : 'lg:col-span-3'}`}>
          <label className="mb-3 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
            {t('catalogue.showArchived')}
          </label>
          <QueryView query={list}>
            {(l) =>
              l.data.length === 0 ? (
                <EmptyState title={t(source.empty.title)} body={canWrite ? t(source.empty.body) : t('dash.empty.readOnly')} />
              ) : (
                <DataList
                  rows={l.data}
                  rowKey={(row) => row.code}
                  caption={t(title)}
                  rowTestId={(row) => `row-${row.code}`}
                  columns={[
                    ...columns.map((f) => ({
                      label: t(f.column ?? f.label),
                      cell: (row: Row) =>
                        f.show
                          ? f.show(row, fmt)
                          : f.options
                            ? (() => {
                                const o = f.options.find((x) => x.value === row[f.name]);
                                return o ? optionText(o) : showUnit(undefined, row[f.name], fmt);
                              })()
                            : showUnit(f.unit, row[f.name], fmt),
                    })),
                    {
                      label: t('common.status'),
                      cell: (row: Row) =>
                        row.archivedAt ? <Badge tone="slate">{t('catalogue.archived')}</Badge> : <Badge tone="green">{t('catalogue.active')}</Badge>,
                    },
                    ...(canWrite
                      ? [
                          {
                            label: t('common.actions'),
                            className: 'whitespace-nowrap',
                            cell: (row: Row) =>
                              row.archivedAt ? null : (
                                <span className="flex gap-2">
                                  <Button
                                    variant="secondary"
                                    aria-label={t('catalogue.editCode', { code: row.code })}
                                    onClick={() => {
                                      setEditError(null);
                                      setFieldErrors({});
                                      setEditing(row);
                                    }}
                                  >
                                    {t('catalogue.edit')}
                                  </Button>
                                  <Button variant="danger" aria-label={t('catalogue.archiveCode', { code: row.code })} onClick={() => setArchiving(row)}>
                                    {t('catalogue.archive')}
                                  </Button>
                                </span>
                              ),
                          },
                        ]
                      : []),
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
        {!canWrite ? null : editing ? (
          <div ref={editCard}>
            <Card title={t('catalogue.editCode', { code: editing.code })}>
              <SubmitForm
                key={editing.code}
                label={t('catalogue.editCode', { code: editing.code })}
                onError={(e) => failed(e, setEditError)}
                onSubmit={async (d) => {
                  const bad: Record<string, UnitErr> = {};
                  const body: Record<string, unknown> = {};
                  for (const f of inputs) {
                    if (f.immutable || f.within) continue;
                    const v = valueOf(f, d.get(inputName(f)), true, locale, bad);
                    if (v === undefined) continue;
                    if (v !== (editing[f.name] ?? null)) body[f.name] = v;
                  }
                  // A nested object (benefits) is replaced as a whole: sent with every key it
                  // keeps when any of its fields changed; an emptied field is dropped.
                  for (const parent of new Set(inputs.flatMap((f) => (f.within ? [f.within] : [])))) {
                    const before = (editing[parent] ?? {}) as Record<string, unknown>;
                    const next: Record<string, unknown> = { ...before };
                    let changed = false;
                    for (const f of inputs.filter((x) => x.within === parent)) {
                      const v = valueOf(f, d.get(inputName(f)), false, locale, bad);
                      if (v === undefined) delete next[f.name];
                      else next[f.name] = v;
                      if ((v ?? null) !== (before[f.name] ?? null)) changed = true;
                    }
                    if (changed) body[parent] = next;
                  }
                  refuse(bad);
                  if (Object.keys(body).length > 0) await update.mutateAsync({ code: editing.code, body });
                  else toast(t('catalogue.unchanged'), 'info');
                  setEditing(null);
                }}
              >
                <div className={fieldGrid}>{inputs.map((f) => input(f, editing))}</div>
                {editError ? <FormProblem error={editError} /> : null}
                <div className="flex gap-2">
                  <Button type="submit">{t('common.save')}</Button>
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setFieldErrors({});
                      setEditing(null);
                    }}
                  >
                    {t('common.cancel')}
                  </Button>
                </div>
              </SubmitForm>
            </Card>
          </div>
        ) : (
          <Card title={t('common.create')}>
            <SubmitForm
              label={t('common.create')}
              onError={(e) => failed(e, setError)}
              onSubmit={async (d, form) => {
                const bad: Record<string, UnitErr> = {};
                const body: Record<string, unknown> = {};
                for (const f of inputs) {
                  const v = valueOf(f, d.get(inputName(f)), false, locale, bad);
                  if (v === undefined) continue;
                  if (f.within) body[f.within] = { ...((body[f.within] as object | undefined) ?? {}), [f.name]: v };
                  else body[f.name] = v;
                }
                refuse(bad);
                await create.mutateAsync(body);
                form.reset();
              }}
            >
              <div className={fieldGrid}>{inputs.map((f) => input(f, null))}</div>
              {error ? <FormProblem error={error} /> : null}
              <div>
                <Button type="submit">{t('common.create')}</Button>
              </div>
            </SubmitForm>
          </Card>
        )}
      </div>
      <ConfirmDialog
        open={archiving !== null}
        title={t('catalogue.confirmArchive', { code: archiving?.code ?? '' })}
        confirmLabel={t('catalogue.archive')}
        onClose={() => setArchiving(null)}
        onConfirm={async () => {
          if (!archiving) return;
          await archive.mutateAsync(archiving.code);
          setArchiving(null);
        }}
      >
        {t('catalogue.archiveHelp')}
      </ConfirmDialog>
    </>
  );
}
