'use client';
import { useState } from 'react';
import type { MessageKey } from '@/i18n';
import type { Api } from '@/lib/api';
import { useApp, useLoad } from './providers';
import { Async, Button, Card, ErrorNote, Field, PageTitle, Select, SubmitForm, Table, Td } from './ui';

export interface CrudField {
  name: string;
  label: MessageKey;
  type: 'text' | 'number' | 'select';
  required?: boolean;
  options?: { value: string; label: MessageKey }[];
  /** Shown in the list; defaults to the raw value. */
  show?: (row: Record<string, unknown>) => string;
}

export interface CrudSource {
  list(api: Api): Promise<{ data: object[] }>;
  /** `body` holds the filled-in fields, numbers as numbers; the API validates the rest. */
  create(api: Api, body: Record<string, unknown>): Promise<unknown>;
}

/** A list + create form for a simple catalogue resource (coupon templates, rewards, plans). */
export function CrudPage({ title, source, fields }: { title: MessageKey; source: CrudSource; fields: CrudField[] }) {
  const { t, api } = useApp();
  const list = useLoad(async () => (await source.list(api)) as { data: Record<string, unknown>[] }, [source]);
  const [error, setError] = useState<Error | null>(null);
  return (
    <>
      <PageTitle>{t(title)}</PageTitle>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Async state={list}>
            {(l) =>
              l.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <Table head={fields.map((f) => t(f.label))}>
                  {l.data.map((row, i) => (
                    <tr key={String(row.id ?? row.code ?? i)}>
                      {fields.map((f) => (
                        <Td key={f.name}>
                          {f.show ? f.show(row) : row[f.name] === null || row[f.name] === undefined ? '—' : String(row[f.name])}
                        </Td>
                      ))}
                    </tr>
                  ))}
                </Table>
              )
            }
          </Async>
        </Card>
        <Card title={t('common.create')}>
          <SubmitForm
            onError={setError}
            onSubmit={async (d, form) => {
              const body: Record<string, unknown> = {};
              for (const f of fields) {
                const v = String(d.get(f.name) ?? '').trim();
                if (v === '') continue;
                body[f.name] = f.type === 'number' ? Number(v) : v;
              }
              await source.create(api, body);
              form.reset();
              list.reload();
            }}
          >
            {fields.map((f) =>
              f.type === 'select' ? (
                <Select key={f.name} label={t(f.label)} name={f.name} defaultValue={f.options?.[0]?.value}>
                  {f.options?.map((o) => (
                    <option key={o.value} value={o.value}>
                      {t(o.label)}
                    </option>
                  ))}
                </Select>
              ) : (
                <Field
                  key={f.name}
                  label={t(f.label)}
                  name={f.name}
                  type={f.type}
                  required={f.required}
                  min={f.type === 'number' ? 0 : undefined}
                />
              ),
            )}
            {error ? <ErrorNote error={error} /> : null}
            <Button type="submit">{t('common.create')}</Button>
          </SubmitForm>
        </Card>
      </div>
    </>
  );
}
