import { describe, expect, it } from 'vitest';
import { DAILY_TENANT_JOBS, JOBS, jobKey, parsePayload } from './catalogue.ts';

describe('job catalogue', () => {
  it('validates payloads: ids and tenantId only', () => {
    expect(parsePayload('retention.run', { tenantId: 'ten_1', runId: 'rrn_1' })).toEqual({ tenantId: 'ten_1', runId: 'rrn_1' });
    expect(() => parsePayload('retention.run', { tenantId: 'ten_1' })).toThrow();
    expect(() => parsePayload('webhooks.deliver-lane', { tenantId: '', endpointId: 'e', lane: 'l' })).toThrow();
    expect(() => parsePayload('outbox.relay', { tenantId: 'x' })).toThrow();
  });
  it('takes 1 to 1000 lane references in a multi-lane wake-up', () => {
    const lane = { tenantId: 'ten_1', endpointId: 'whk_1', lane: 'mem_1' };
    expect(parsePayload('webhooks.deliver-lanes', { lanes: [lane] })).toEqual({ lanes: [lane] });
    expect(() => parsePayload('webhooks.deliver-lanes', { lanes: [] })).toThrow();
    expect(() => parsePayload('webhooks.deliver-lanes', { lanes: Array(1001).fill(lane) })).toThrow();
    expect(() => parsePayload('webhooks.deliver-lanes', { lanes: [{ ...lane, lane: '' }] })).toThrow();
  });
  it('puts every daily job on a tenant payload', () => {
    for (const name of DAILY_TENANT_JOBS) expect(() => parsePayload(name, { tenantId: 't' })).not.toThrow();
    expect(Object.keys(JOBS).length).toBeGreaterThan(DAILY_TENANT_JOBS.length);
  });
  it('makes job ids without colons', () => {
    expect(jobKey('lane', 'whk:1', 'mem_2', 7)).toBe('lane.whk_1.mem_2.7');
  });
});
