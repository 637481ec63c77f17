/**
 * Serves the web app: static HTML, CSS and ES modules from src/web/public, without a build step.
 * The files need no token, because they contain no data. The app reads everything through
 * /api with the user's token, so it can show only what the API returns to that user.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { REPOSITORY_ROOT } from '../config.ts';

/** The app's files stay in the source tree; the compiled server in dist/ serves them from there too. */
export const WEB_ROOT = path.join(REPOSITORY_ROOT, 'src', 'web', 'public');

/**
 * Only the app's own files may load, no inline script runs, and no other site may frame the app.
 * `blob:` lets the app save downloads it fetched with the token.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerWebApp(app: FastifyInstance): Promise<void> {
  // Registered in a child context so that its reply decorators cannot clash with the queue
  // dashboard's own copy of @fastify/static.
  await app.register(async (web) => {
    await web.register(fastifyStatic, {
      root: WEB_ROOT,
      prefix: '/',
      // One route per file found at start, and no catch-all, so unknown paths keep the API's 404 body.
      wildcard: false,
      index: 'index.html',
      decorateReply: false,
      cacheControl: false,
      schemaHide: true,
      setHeaders: (reply) => {
        reply.header('cache-control', 'no-cache');
        reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
      },
    });
  });
}
