import type { Response } from 'express';
import type { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * One failing field. `path` is a JSON Pointer (RFC 6901) into the request body (or `/query/<name>` for query
 * parameters), e.g. `/signals/3/client/Postcode`.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details; `type` is a URN per kind of problem, `errors` lists field failures. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPES = {
  validation: 'urn:bereik:problem:validation',
  malformed: 'urn:bereik:problem:malformed-body',
  tooLarge: 'urn:bereik:problem:payload-too-large',
  unsupportedMediaType: 'urn:bereik:problem:unsupported-media-type',
  unauthorized: 'urn:bereik:problem:unauthorized',
  forbidden: 'urn:bereik:problem:forbidden',
  notFound: 'urn:bereik:problem:not-found',
  methodNotAllowed: 'urn:bereik:problem:method-not-allowed',
  conflict: 'urn:bereik:problem:conflict',
  unavailable: 'urn:bereik:problem:unavailable',
  invalidDelivery: 'urn:bereik:problem:invalid-delivery',
  internal: 'urn:bereik:problem:internal',
} as const;

export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}

export const problems = {
  validation: (detail: string, errors: FieldError[]) =>
    new ProblemError({ type: PROBLEM_TYPES.validation, title: 'Invalid request', status: 400, detail, errors }),
  malformed: (detail: string) =>
    new ProblemError({ type: PROBLEM_TYPES.malformed, title: 'Malformed request body', status: 400, detail }),
  tooLarge: (detail: string) =>
    new ProblemError({ type: PROBLEM_TYPES.tooLarge, title: 'Payload too large', status: 413, detail }),
  unsupportedMediaType: (detail: string) =>
    new ProblemError({
      type: PROBLEM_TYPES.unsupportedMediaType,
      title: 'Unsupported media type',
      status: 415,
      detail,
    }),
  unauthorized: (detail: string) =>
    new ProblemError(
      { type: PROBLEM_TYPES.unauthorized, title: 'Unauthorized', status: 401, detail },
      { 'WWW-Authenticate': 'Bearer realm="bereik"' },
    ),
  forbidden: (detail: string) =>
    new ProblemError({ type: PROBLEM_TYPES.forbidden, title: 'Forbidden', status: 403, detail }),
  notFound: (detail: string) =>
    new ProblemError({ type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404, detail }),
  methodNotAllowed: (allowed: readonly string[]) =>
    new ProblemError(
      {
        type: PROBLEM_TYPES.methodNotAllowed,
        title: 'Method not allowed',
        status: 405,
        detail: `Allowed: ${allowed.join(', ')}.`,
      },
      { Allow: allowed.join(', ') },
    ),
  conflict: (detail: string) =>
    new ProblemError({ type: PROBLEM_TYPES.conflict, title: 'Conflict with the case state', status: 409, detail }),
  unavailable: (detail: string, extra: Record<string, unknown> = {}) =>
    new ProblemError({ type: PROBLEM_TYPES.unavailable, title: 'Service unavailable', status: 503, detail, ...extra }),
  /** The data bereik holds would make a delivery the national schema refuses: nothing is delivered. `errors` point into the delivery. */
  invalidDelivery: (detail: string, errors: FieldError[]) =>
    new ProblemError({
      type: PROBLEM_TYPES.invalidDelivery,
      title: 'The delivery would not validate',
      status: 500,
      detail,
      errors,
    }),
};

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  const requestId = res.locals.requestId as string | undefined;
  res.status(problem.status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(requestId ? { ...problem, requestId } : problem));
}

export function pointer(segments: readonly PropertyKey[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** zod issues as field errors under `prefix`; unknown keys are reported at their own path. */
export function fieldErrors(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pointer([...base, key]), message: 'is not a known field' }));
    }
    return [{ path: pointer(base), message: issue.message }];
  });
}
