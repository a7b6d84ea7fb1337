import { ApplicationFailure } from '@temporalio/common';

export interface RegistryEndpoint {
  /** Base URL; the operation's path is appended. */
  url: string;
  /** Header carrying the API key, e.g. X-API-KEY; only sent when `apiKey` is set. */
  apiKeyHeader: string;
  apiKey?: string;
  /** Per request; a registry that hangs must not hold the activity until its start-to-close timeout. */
  timeoutMs?: number;
  /** Injected so tests can add headers (Prism's `Prefer`); defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * POSTs a JSON body (personal data travels in the body only, never in the URL) and returns the parsed answer.
 * Statuses that may pass (timeouts, 408, 429, 5xx, and the configuration errors below) throw a plain Error so
 * Temporal retries: cases wait for the fix instead of failing. Statuses that will never succeed for this request
 * throw a non-retryable ApplicationFailure of type `${registry}RequestRejected`. Messages carry the status and the
 * registry's error code, never the request body.
 */
export async function postJson(
  registry: string,
  endpoint: RegistryEndpoint,
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<unknown> {
  const url = `${endpoint.url.replace(/\/+$/, '')}${path}`;
  // Errors come as problem+json (RFC 7807); accepting only JSON would make the server answer 406 to the real error.
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: 'application/json, application/problem+json',
  };
  if (endpoint.apiKey) headers[endpoint.apiKeyHeader] = endpoint.apiKey;
  let response: Response;
  try {
    response = await (endpoint.fetch ?? fetch)(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new Error(
      `${registry} unreachable: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}`,
    );
  }
  const text = await response.text();
  if (response.ok) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${registry} answered ${response.status} with a body that is not JSON`);
    }
  }
  const code = problemCode(text);
  const summary = `${registry} answered ${response.status}${code ? ` (${code})` : ''}`;
  if (isTransient(response.status)) throw new Error(summary);
  throw ApplicationFailure.nonRetryable(summary, `${registry}RequestRejected`, { status: response.status, code });
}

/** 401/403 (a wrong key) and 404/405 (a wrong URL) are configuration: they pass once an operator fixes it. */
function isTransient(status: number): boolean {
  return status >= 500 || [401, 403, 404, 405, 408, 429].includes(status);
}

/** The RFC 7807 `code` (Haal Centraal) or `title`, cut short; it names the error without echoing input. */
function problemCode(text: string): string | undefined {
  try {
    const problem = JSON.parse(text) as { code?: unknown };
    return typeof problem.code === 'string' ? problem.code.slice(0, 40) : undefined;
  } catch {
    return undefined;
  }
}
