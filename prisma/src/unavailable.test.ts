import { describe, expect, it } from 'vitest';
import { DbQueryError, TransactionUnavailableError } from './tenant-transaction.ts';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable.ts';

const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('isDatabaseUnavailable', () => {
  it('recognises connection-level failures, however wrapped', () => {
    for (const e of [
      new DbQueryError('terminating connection due to administrator command', '57P01', null),
      new DbQueryError('terminating connection due to crash of another server process', '57P02', null),
      new DbQueryError('the database system is starting up', '57P03', null),
      new DbQueryError('connection failure', '08006', null),
      new DbQueryError('could not connect', '08001', null),
      socket('ECONNREFUSED'),
      socket('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new DatabaseUnavailableError('lost'),
      new Error('outer', { cause: socket('ECONNREFUSED') }),
      // Prisma's shape for a raw query over an unreachable server.
      Object.assign(new Error("Raw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`"), {
        code: 'P2010',
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } } },
      }),
      Object.assign(new Error('Server has closed the connection.'), { code: 'P1017' }),
    ]) {
      expect(isDatabaseUnavailable(e), String(e)).toBe(true);
    }
  });

  it('leaves statement failures and everything else alone', () => {
    for (const e of [
      new DbQueryError('duplicate key value violates unique constraint', '23505', null),
      new DbQueryError('canceling statement due to statement timeout', '57014', null),
      new DbQueryError('permission denied for table orders', '42501', null),
      new DbQueryError('value out of range', '22003', null),
      new TransactionUnavailableError('busy'),
      new Error('Transaction already closed: committed'),
      new TypeError('x is not a function'),
      null,
      undefined,
      'ECONNREFUSED',
    ]) {
      expect(isDatabaseUnavailable(e), String(e)).toBe(false);
    }
  });
});
