import { createServer, request, type IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body exactly as the client sent it. */
  body: string;
  form: URLSearchParams;
  /** Status the upstream (Prism) answered, before any override. */
  upstreamStatus?: number;
  upstreamBody?: string;
}

export interface ProxyOptions {
  /**
   * Form fields the spec declares as arrays. The twilio client repeats the key (StatusCallbackEvent=a&
   * StatusCallbackEvent=b), as Twilio expects; Prism 5.14 only reads `key[]=` as an array and answers 422 otherwise.
   * The proxy rewrites these keys for Prism only; `body` keeps what the client really sent.
   */
  arrayFields?: string[];
  /** Adds a `Prefer` header, e.g. "example=fetchLineTypeIntelligence", to pick a spec example. */
  prefer?(req: RecordedRequest): string | undefined;
  /** Replaces Prism's answer after Prism validated the request, for provider answers the spec has no example of. */
  override?(req: RecordedRequest): { status: number; body: unknown } | undefined;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A tiny HTTP proxy between the twilio client and Prism that records every request the client sent. */
export async function startRecordingProxy(upstream: string, options: ProxyOptions = {}): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://proxy');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body,
        form: new URLSearchParams(body),
      };
      requests.push(recorded);
      let forwardBody = body;
      if (options.arrayFields?.length) {
        const form = new URLSearchParams(body);
        const rewritten = new URLSearchParams();
        for (const [k, v] of form) rewritten.append(options.arrayFields.includes(k) ? `${k}[]` : k, v);
        forwardBody = rewritten.toString();
      }
      const headers: Record<string, string | string[] | undefined> = {
        ...req.headers,
        host: target.host,
        'content-length': String(Buffer.byteLength(forwardBody)),
      };
      const prefer = options.prefer?.(recorded);
      if (prefer) headers.prefer = prefer;
      const up = request(
        { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (upRes) => {
          const upChunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => upChunks.push(c));
          upRes.on('end', () => {
            recorded.upstreamStatus = upRes.statusCode;
            recorded.upstreamBody = Buffer.concat(upChunks).toString('utf8');
            const override = upRes.statusCode && upRes.statusCode < 300 ? options.override?.(recorded) : undefined;
            if (override) {
              res.writeHead(override.status, { 'content-type': 'application/json' });
              res.end(JSON.stringify(override.body));
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(upChunks));
          });
        },
      );
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(forwardBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
