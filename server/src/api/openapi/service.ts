/**
 * The service's own paths in the OpenAPI document: ingestion, health, metrics, the snippet, the
 * key check, and this document with its reference page.
 */
import { LIMITS } from '@funnelhouse/schemas';
import { error, type Json, json, ok, ref } from './parts.ts';

/** `/collect`, health, metrics, the snippet and `GET /api/v1/key`. */
export function servicePaths(): Json {
  return {
    '/collect': {
      post: {
        summary: 'Ingest a batch of events (the snippet posts text/plain; JSON is accepted too)',
        description:
          `Each event is judged on its own; a bad one is listed in the 202's \`rejected\` and not stored. ` +
          `Amounts (\`revenue\`, an item's \`price\`) are within ±${LIMITS.moneyMax} currency units, stored with 4 ` +
          'decimals (`money_out_of_range` past it); a browser may not send negative `revenue` ' +
          '(`negative_revenue`: refunds come from the server events API).',
        requestBody: {
          required: true,
          content: { 'text/plain': { schema: ref('CollectBody') }, ...json(ref('CollectBody')) },
        },
        responses: {
          '202': ok('Stored (accepted) or dropped with a counted reason', ref('CollectResponse')),
          '400': error('Invalid batch: nothing stored'),
          '401': error('Unknown site key (`unknown_site_key`)'),
          '413': error('Body too large'),
          '415': error('Unsupported content type'),
        },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness',
        responses: {
          '200': ok('Alive', { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
        },
      },
    },
    '/readyz': {
      get: {
        summary: 'Readiness (migrations applied, store answering, spool not behind)',
        responses: {
          '200': ok('Ready', { type: 'object', properties: { ready: { const: true } }, required: ['ready'] }),
          '503': ok('Not ready', {
            type: 'object',
            properties: {
              ready: { const: false },
              reason: { type: 'string' },
              spool_lag_seconds: { type: 'number' },
            },
            required: ['ready'],
          }),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: {
          '200': {
            description: 'Text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/f.js': {
      get: {
        summary: 'The tracking snippet',
        responses: {
          '200': {
            description: 'JavaScript',
            content: { 'text/javascript': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/api/v1/key': {
      get: {
        summary: 'What the presented key is: the admin key, or an API key and its site',
        security: [{ apiKey: [] }, { adminKey: [] }],
        responses: {
          '200': ok('The role of the key', ref('KeyInfo')),
          '401': error('Missing, invalid or revoked key'),
        },
      },
    },
  };
}

/** The document itself and the interactive reference. */
export function documentationPaths(): Json {
  return {
    '/api/v1/openapi.json': {
      get: {
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
    '/api/docs': {
      get: {
        summary: 'Interactive API reference (Swagger UI): request examples, try it out',
        responses: {
          '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
  };
}
