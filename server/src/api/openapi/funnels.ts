/** Funnel questions and saved funnels in the OpenAPI document (secret API key). */
import { funnelResultsQuerySchema } from '@funnelhouse/schemas';
import { error, explainParam, type Json, json, ok, queryParams, ref, siteOp, siteParam } from './parts.ts';

const funnelParam = { name: 'funnelId', in: 'path', required: true, schema: { type: 'string' } };
export function funnelPaths(): Json {
  const base = '/api/v1/sites/{siteId}/funnels';
  const body = (s: string) => ({ required: true, content: json(ref(s)) });
  return {
    [`${base}/query`]: {
      post: siteOp(
        'Answer an ad-hoc funnel question',
        { parameters: [siteParam, explainParam], requestBody: body('FunnelQuery') },
        {
          '200': ok('Per-step results, breakdown, trend and comparison', ref('FunnelResult')),
        },
      ),
    },
    [base]: {
      get: siteOp(
        'List saved funnels',
        { parameters: [siteParam] },
        {
          '200': ok('Saved funnels', {
            type: 'object',
            properties: { funnels: { type: 'array', items: ref('SavedFunnel') } },
            required: ['funnels'],
          }),
        },
      ),
      post: siteOp(
        'Save a funnel (with its breakdown, if any)',
        { parameters: [siteParam], requestBody: body('SaveFunnel') },
        {
          '201': ok('The saved funnel', ref('SavedFunnel')),
          '409': error('Another saved funnel has this name (`duplicate_name`)'),
        },
      ),
    },
    [`${base}/{funnelId}`]: {
      get: siteOp(
        'Get a saved funnel',
        { parameters: [siteParam, funnelParam] },
        { '200': ok('The funnel', ref('SavedFunnel')) },
      ),
      put: siteOp(
        'Replace a saved funnel',
        { parameters: [siteParam, funnelParam], requestBody: body('SaveFunnel') },
        {
          '200': ok('The funnel', ref('SavedFunnel')),
          '409': error('Another saved funnel has this name (`duplicate_name`)'),
        },
      ),
      delete: siteOp(
        'Delete a saved funnel',
        { parameters: [siteParam, funnelParam] },
        { '204': { description: 'Deleted' } },
      ),
    },
    [`${base}/{funnelId}/results`]: {
      get: siteOp(
        'Results of a saved funnel',
        { parameters: [siteParam, funnelParam, ...queryParams(funnelResultsQuerySchema)] },
        { '200': ok('Per-step results', ref('FunnelResult')) },
      ),
    },
  };
}
