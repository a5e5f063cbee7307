import type { components } from './generated/api-types.ts';

export type Problem = components['schemas']['Problem'];
export type ErrorCode = Problem['code'];

/**
 * An RFC 9457 problem the API answered: switch on `code` (stable), show `detail`, follow
 * `type` (the code's page: what it means and how to fix it), quote `requestId`.
 */
export class UnionpointError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly errors: Problem['errors'];
  readonly requestId: string | undefined;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
    this.name = 'UnionpointError';
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = problem.errors;
    this.requestId = problem.requestId;
  }
}

/** No answer (connection refused or reset, timeout) after every retry. */
export class UnionpointNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnionpointNetworkError';
  }
}
