import { afterAll } from '@jest/globals';
import { checkAnswer, contractCounts } from './openapi-contract.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

afterAll(() => {
  const { checked, undocumented, unchecked } = contractCounts;
  if (checked + undocumented + unchecked > 0) {
    console.info(
      `contract: ${checked} answers checked against /docs-json` +
        (undocumented ? `, ${undocumented} to paths it does not document` : '') +
        (unchecked ? `, ${unchecked} with no document to fetch` : ''),
    );
  }
});

/**
 * A thin client for the tests: JSON in and out, the token given once. Every answer is checked against the
 * OpenAPI document of the Baton it came from (test/support/openapi-contract.ts); one that is not as
 * documented fails the request.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  as(token: string | null): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  /** The same caller, talking to another Baton (one restarted on another port). */
  at(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.token);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const init: RequestInit = {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    await checkAnswer(this.baseUrl, method, path, response.status, response.headers, text);
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0)
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
}
