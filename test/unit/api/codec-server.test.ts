import express, { type Request } from 'express';
import request from 'supertest';
import { METADATA_ENCODING_KEY, defaultPayloadConverter } from '@temporalio/common';
import { codecRouter, type CodecAuditEvent } from '../../../api/codec-server';
import { EncryptionCodec } from '../../../common/codec';
import { entry, keyring } from '../common/keys';

const ORIGIN = 'http://localhost:8233';
const ring = keyring(entry('k1'));
const resident = { Achternaam: 'Zwanenburg-Qwertyuiop', telefoon: '+31612345678' };

interface Staff {
  id: string;
  role: 'staff' | 'intake';
}

const KEYS: Record<string, Staff> = {
  'Bearer staff': { id: 'staff-1', role: 'staff' },
  'Bearer intake': { id: 'intake-1', role: 'intake' },
};

function app(audit: CodecAuditEvent<Staff>[] = []) {
  const a = express();
  a.use(
    codecRouter<Staff>({
      keyring: ring,
      allowedOrigins: [ORIGIN],
      authenticate: async (req: Request) => KEYS[req.get('Authorization') ?? ''] ?? null,
      refusal: (staff) => (staff.role === 'intake' ? 'needs the staff role' : null),
      audit: (event) => {
        audit.push(event);
      },
    }),
  );
  return a;
}

function toJSONPayload(value: unknown) {
  const p = defaultPayloadConverter.toPayload(value);
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data!).toString('base64'),
  };
}

describe('codec server', () => {
  it('encodes and decodes Web UI JSON and audits who decoded', async () => {
    const audit: CodecAuditEvent<Staff>[] = [];
    const server = app(audit);
    const encoded = await request(server)
      .post('/codec/encode')
      .set('Authorization', 'Bearer staff')
      .set('Origin', ORIGIN)
      .set('X-Namespace', 'bereik')
      .send({ payloads: [toJSONPayload(resident)] })
      .expect(200);
    expect(encoded.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(encoded.headers['cache-control']).toBe('no-store');
    const wire = encoded.body.payloads[0];
    expect(Buffer.from(wire.metadata[METADATA_ENCODING_KEY], 'base64').toString()).toBe('binary/encrypted');
    expect(JSON.stringify(encoded.body)).not.toContain('Zwanenburg');

    const decoded = await request(server)
      .post('/codec/decode')
      .set('Authorization', 'Bearer staff')
      .set('X-Namespace', 'bereik')
      .send({ payloads: [wire] })
      .expect(200);
    const payload = decoded.body.payloads[0];
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toEqual(resident);
    expect(audit).toEqual([
      { principal: KEYS['Bearer staff'], operation: 'encode', namespace: 'bereik', payloads: 1 },
      { principal: KEYS['Bearer staff'], operation: 'decode', namespace: 'bereik', payloads: 1 },
    ]);
  });

  it('decodes payloads encrypted by the worker codec', async () => {
    const [encrypted] = await new EncryptionCodec(ring).encode([defaultPayloadConverter.toPayload(resident)]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(encrypted!.data!).toString('base64'),
        },
      ],
    };
    const res = await request(app()).post('/codec/decode').set('Authorization', 'Bearer staff').send(body).expect(200);
    expect(JSON.parse(Buffer.from(res.body.payloads[0].data, 'base64').toString())).toEqual(resident);
  });

  it('answers CORS preflight without authentication', async () => {
    const res = await request(app())
      .options('/codec/decode')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization,x-namespace')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toBe('Content-Type, Authorization, X-Namespace');
    expect(res.headers['vary']).toContain('Origin');
  });

  it('gives other origins no CORS grant', async () => {
    const preflight = await request(app()).options('/codec/decode').set('Origin', 'https://evil.example').expect(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const post = await request(app())
      .post('/codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Authorization', 'Bearer staff')
      .send({ payloads: [] })
      .expect(200);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('returns 401 problem+json without valid credentials, with CORS headers so the UI can show it', async () => {
    const res = await request(app()).post('/codec/decode').set('Origin', ORIGIN).send({ payloads: [] }).expect(401);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ type: 'urn:bereik:problem:unauthorized', status: 401 });
    const wrongKey = await request(app())
      .post('/codec/encode')
      .set('Authorization', 'Bearer nope')
      .send({ payloads: [] })
      .expect(401);
    expect(wrongKey.body.type).toBe('urn:bereik:problem:unauthorized');
  });

  it('returns 403 problem+json for a known key the codec refuses, and decodes nothing for it', async () => {
    const audit: CodecAuditEvent<Staff>[] = [];
    const [encrypted] = await new EncryptionCodec(ring).encode([defaultPayloadConverter.toPayload(resident)]);
    const body = {
      payloads: [
        { metadata: { encoding: Buffer.from(encrypted!.metadata!.encoding!).toString('base64') }, data: 'AA==' },
      ],
    };
    for (const operation of ['encode', 'decode']) {
      const res = await request(app(audit))
        .post(`/codec/${operation}`)
        .set('Authorization', 'Bearer intake')
        .send(body)
        .expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: 'urn:bereik:problem:forbidden',
        status: 403,
        detail: 'needs the staff role',
      });
      expect(res.body.payloads).toBeUndefined();
    }
    expect(audit).toEqual([]);
  });

  it('reads metadata: null and data: null as empty, as proto3 JSON allows', async () => {
    const auth = { Authorization: 'Bearer staff' };
    const data = Buffer.from('{"Achternaam":"Nullmeta"}').toString('base64');
    const encoded = await request(app())
      .post('/codec/encode')
      .set(auth)
      .send({ payloads: [{ metadata: null, data }] })
      .expect(200);
    expect(JSON.stringify(encoded.body)).not.toContain(data);
    const decoded = await request(app()).post('/codec/decode').set(auth).send(encoded.body).expect(200);
    expect(decoded.body.payloads[0].data).toBe(data);
    const empty = await request(app())
      .post('/codec/decode')
      .set(auth)
      .send({ payloads: [{ metadata: null, data: null }] })
      .expect(200);
    expect(empty.body.payloads).toEqual([{}]);
  });

  it('rejects malformed bodies with 400 problem+json naming the field', async () => {
    const auth = { Authorization: 'Bearer staff' };
    const missing = await request(app()).post('/codec/decode').set(auth).send({ nope: 1 }).expect(400);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/payloads' })]));
    const notBase64 = await request(app())
      .post('/codec/decode')
      .set(auth)
      .send({ payloads: [{ data: '%%%' }] })
      .expect(400);
    expect(notBase64.body.errors).toEqual([{ path: '/payloads/0/data', message: 'must be base64' }]);
    const badMetadata = await request(app())
      .post('/codec/decode')
      .set(auth)
      .send({ payloads: [{ metadata: { encoding: null } }] })
      .expect(400);
    expect(badMetadata.body.errors).toEqual([expect.objectContaining({ path: '/payloads/0/metadata/encoding' })]);
    const truncated = await request(app())
      .post('/codec/decode')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"payloads":')
      .expect(400);
    expect(truncated.body).toMatchObject({ type: 'urn:bereik:problem:malformed-body', status: 400 });
    expect(truncated.text).not.toContain('{"payloads":');
  });

  it('reports an unknown key id as 400 with the key id only', async () => {
    const [encrypted] = await new EncryptionCodec(keyring(entry('gone'))).encode([
      defaultPayloadConverter.toPayload(resident),
    ]);
    const res = await request(app())
      .post('/codec/decode')
      .set('Authorization', 'Bearer staff')
      .send({
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(encrypted!.data!).toString('base64'),
          },
        ],
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/key ID "gone"/);
  });
});
