import { describe, expect, it } from 'vitest';
import { hasUndefinedTenantFilter } from './client.ts';
import { poolConfigFromUrl, withDatabase } from './connection.ts';

describe('hasUndefinedTenantFilter', () => {
  it('finds an explicit undefined tenantId at any depth', () => {
    expect(hasUndefinedTenantFilter({ tenantId: undefined })).toBe(true);
    expect(hasUndefinedTenantFilter({ tenantId_id: { tenantId: undefined, id: 'x' } })).toBe(true);
    expect(hasUndefinedTenantFilter({ OR: [{ a: 1 }, { tenantId: undefined }] })).toBe(true);
  });
  it('accepts a set tenantId and clauses without one', () => {
    expect(hasUndefinedTenantFilter({ tenantId: 't1', id: 'x' })).toBe(false);
    expect(hasUndefinedTenantFilter({ id: 'x', createdAt: new Date() })).toBe(false);
    expect(hasUndefinedTenantFilter(undefined)).toBe(false);
  });
});

describe('connection config', () => {
  it('splits a URL into fields and swaps the database', () => {
    const c = poolConfigFromUrl('postgresql://app:s%40cret@db.local:6543/main?sslmode=require');
    expect(c).toMatchObject({ host: 'db.local', port: 6543, user: 'app', password: 's@cret', database: 'main' });
    expect(c.ssl).toBeTruthy();
    expect(withDatabase('postgresql://u@h:5432/a', 'b')).toBe('postgresql://u@h:5432/b');
  });
});
