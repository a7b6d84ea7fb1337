import request from 'supertest';
import { isLoopback } from '../../api/app';
import { loadConfig } from '../../config';
import { KEYS, startStack, type Stack } from './support';

const TOKEN = 'local-ui-capability-0123456789abcdef';

describe('codec endpoint for the local Web UI (npm start)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('codeclocal', { CODEC_LOCAL_TOKEN: TOKEN }, { worker: false });
  });
  afterAll(async () => stack?.stop());

  const payload = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"Achternaam":"Zzyxq"}').toString('base64'),
  };

  test("the run's capability in the URL encodes and decodes without a staff key, for the UI origin", async () => {
    const origin = `http://localhost:${stack.config.TEMPORAL_UI_PORT}`;
    const encoded = await request(stack.app)
      .post(`/codec/local/${TOKEN}/codec/encode`)
      .set('Origin', origin)
      .send({ payloads: [payload] })
      .expect(200);
    expect(encoded.headers['access-control-allow-origin']).toBe(origin);
    expect(JSON.stringify(encoded.body)).not.toContain(payload.data);
    const decoded = await request(stack.app)
      .post(`/codec/local/${TOKEN}/codec/decode`)
      .set('Origin', origin)
      .send(encoded.body)
      .expect(200);
    expect(decoded.body.payloads[0].data).toBe(payload.data);
  });

  test('another token finds nothing, and the shared endpoint still wants a staff key', async () => {
    const wrongToken = await request(stack.app)
      .post('/codec/local/wrong-token-000000000000000000000000/codec/decode')
      .send({ payloads: [payload] });
    expect(wrongToken.status).toBe(404);
    expect(wrongToken.body.payloads).toBeUndefined();
    const anonymous = await request(stack.app)
      .post('/codec/decode')
      .send({ payloads: [payload] })
      .expect(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.body).toMatchObject({ type: 'urn:bereik:problem:unauthorized', status: 401 });
  });

  test('the shared endpoint answers an intake key 403 problem+json, and a staff key gets the payloads', async () => {
    const encoded = await request(stack.app)
      .post(`/codec/local/${TOKEN}/codec/encode`)
      .send({ payloads: [payload] })
      .expect(200);
    for (const operation of ['encode', 'decode']) {
      const intake = await request(stack.app)
        .post(`/codec/${operation}`)
        .set('Authorization', `Bearer ${KEYS.intake0518}`)
        .send(encoded.body);
      expect(intake.status).toBe(403);
      expect(intake.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(intake.body).toMatchObject({ type: 'urn:bereik:problem:forbidden', status: 403 });
      expect(intake.body.detail).toMatch(/staff or admin role/);
    }
    const staff = await request(stack.app)
      .post('/codec/decode')
      .set('Authorization', `Bearer ${KEYS.staff0518}`)
      .send(encoded.body)
      .expect(200);
    expect(staff.body.payloads[0].data).toBe(payload.data);
  });

  test('the capability answers callers on this machine only', async () => {
    // Tests send traffic to loopback only, so the refusal of other callers is checked on the address rule itself.
    await request(stack.app)
      .post(`/codec/local/${TOKEN}/codec/encode`)
      .send({ payloads: [payload] })
      .expect(200);
    for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address)).toBe(true);
    for (const address of [
      '10.0.0.7',
      '192.168.1.20',
      '172.17.0.1',
      '::ffff:10.0.0.7',
      'fe80::1',
      '2001:db8::1',
      '',
      undefined,
    ]) {
      expect(isLoopback(address)).toBe(false);
    }
  });

  test('production refuses the setting', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CODEC_LOCAL_TOKEN: TOKEN })).toThrow(
      /CODEC_LOCAL_TOKEN: is for local development only/,
    );
  });
});
