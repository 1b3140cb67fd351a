/** Paths of the OpenAPI document for experiment definitions and their results. */
import { experimentResultsQuerySchema } from '@funnelhouse/schemas';
import { error, type Json, json, ok, queryParams, ref, siteOp, siteParam } from './openapi-parts.ts';

const keyParam = {
  name: 'key',
  in: 'path',
  required: true,
  description: 'The experiment key (the exposure event name the snippet sends)',
  schema: { type: 'string' },
};

/** CRUD of experiment definitions and `GET …/results` (secret API key). */
export function experimentPaths(): Json {
  const base = '/api/v1/sites/{siteId}/experiments';
  const body = (s: string) => ({ required: true, content: json(ref(s)) });
  return {
    [base]: {
      get: siteOp(
        'List experiments',
        { parameters: [siteParam] },
        {
          '200': ok('Experiments', {
            type: 'object',
            properties: { experiments: { type: 'array', items: ref('SavedExperiment') } },
            required: ['experiments'],
          }),
        },
      ),
      post: siteOp(
        'Define an experiment',
        { parameters: [siteParam], requestBody: body('ExperimentDefinition') },
        {
          '201': ok('The experiment', ref('SavedExperiment')),
          '409': error('An experiment with this key exists (`conflict`)'),
        },
      ),
    },
    [`${base}/{key}`]: {
      get: siteOp(
        'Get an experiment',
        { parameters: [siteParam, keyParam] },
        { '200': ok('The experiment', ref('SavedExperiment')) },
      ),
      put: siteOp(
        'Replace an experiment definition (the key stays)',
        { parameters: [siteParam, keyParam], requestBody: body('UpdateExperiment') },
        { '200': ok('The experiment', ref('SavedExperiment')) },
      ),
      delete: siteOp(
        'Delete an experiment definition (its events stay)',
        { parameters: [siteParam, keyParam] },
        { '204': { description: 'Deleted' } },
      ),
    },
    [`${base}/{key}/results`]: {
      get: siteOp(
        'Results per variant and metric, with the health checks',
        { parameters: [siteParam, keyParam, ...queryParams(experimentResultsQuerySchema)] },
        {
          '200': ok('Per-variant statistics, comparisons with the control, health', ref('ExperimentResult')),
        },
      ),
    },
  };
}
