import request from 'supertest';
import { loadConfig } from '../../config';
import { startStack, type Stack } from './support';

const TOKEN = 'local-ui-capability-0123456789abcdef';

describe('codec endpoint for the local Web UI (npm start)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('codeclocal', { CODEC_LOCAL_TOKEN: TOKEN }, { worker: false });
  });
  afterAll(async () => stack?.stop());

  const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"Achternaam":"Zzyxq"}').toString('base64') };

  test('the run\'s capability in the URL encodes and decodes without a staff key, for the UI origin', async () => {
    const origin = `http://localhost:${stack.config.TEMPORAL_UI_PORT}`;
    const encoded = await request(stack.app).post(`/codec/local/${TOKEN}/codec/encode`).set('Origin', origin).send({ payloads: [payload] }).expect(200);
    expect(encoded.headers['access-control-allow-origin']).toBe(origin);
    expect(JSON.stringify(encoded.body)).not.toContain(payload.data);
    const decoded = await request(stack.app).post(`/codec/local/${TOKEN}/codec/decode`).set('Origin', origin).send(encoded.body).expect(200);
    expect(decoded.body.payloads[0].data).toBe(payload.data);
  });

  test('another token finds nothing, and the shared endpoint still wants a staff key', async () => {
    await request(stack.app).post('/codec/local/wrong-token-000000000000000000000000/codec/decode').send({ payloads: [payload] }).expect(404);
    await request(stack.app).post('/codec/decode').send({ payloads: [payload] }).expect(401);
  });

  test('production refuses the setting', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CODEC_LOCAL_TOKEN: TOKEN })).toThrow(/CODEC_LOCAL_TOKEN: is for local development only/);
  });
});
