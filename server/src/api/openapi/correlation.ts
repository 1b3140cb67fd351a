/**
 * The funnel correlation route in the OpenAPI document (one file per analysis, as STYLE.md asks).
 */
import { CORRELATION_DEFINITION, CORRELATION_LIMITS } from '@funnelhouse/schemas';
import { explainParam, type Json, json, ok, ref, siteOp, siteParam } from './parts.ts';

export function correlationPaths(): Json {
  return {
    '/api/v1/sites/{siteId}/funnels/correlation': {
      post: siteOp(
        'Which events and sources separate the units that converted from those that dropped',
        {
          description:
            `${CORRELATION_DEFINITION.map((line) => `- ${line}`).join('\n')}\n\n` +
            `Properties: \`channel\`, \`utm_source\`, \`utm_medium\`, \`utm_campaign\`, \`device\`, \`browser\`, ` +
            `\`country\`, \`landing_path\`, \`experiments.KEY\`, \`props.NAME\` (at most ${CORRELATION_LIMITS.properties}). ` +
            'The range, time zone and cohorts are read as by the funnel query.',
          parameters: [siteParam, explainParam],
          requestBody: { required: true, content: json(ref('CorrelationQuery')) },
        },
        { '200': ok('Candidates ranked as success and drop-off signals', ref('CorrelationResult')) },
      ),
    },
  };
}
