// The two pages and their assets, served from web/ (no build step, no CDN).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const webRoot = fileURLToPath(new URL('../web', import.meta.url));

export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: webRoot, prefix: '/', serve: false });
  await app.register(fastifyStatic, { root: `${webRoot}/assets`, prefix: '/assets/', decorateReply: false, maxAge: '1h' });
  await app.register(fastifyStatic, { root: `${webRoot}/chat`, prefix: '/chat/', decorateReply: false, index: false });
  if (existsSync(`${webRoot}/inbox`)) {
    await app.register(fastifyStatic, { root: `${webRoot}/inbox`, prefix: '/inbox/', decorateReply: false, index: false });
  }
  const page = (file: string) => async (_req: unknown, reply: { sendFile: (f: string) => unknown; header: (k: string, v: string) => unknown }) => {
    reply.header('cache-control', 'no-cache');
    // The pages load only our own scripts and styles.
    reply.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'");
    return reply.sendFile(file);
  };
  app.get('/', { schema: { hide: true } }, page('chat/index.html'));
  app.get('/chat', { schema: { hide: true } }, page('chat/index.html'));
  app.get('/inbox', { schema: { hide: true } }, page('inbox/index.html'));
}
