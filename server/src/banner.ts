import type { Config } from './config.ts';
import { DEMO_SITE_ID, type RunningServer } from './server.ts';
import { snippetIntegrity } from './static/routes.ts';

/** What `npm start` prints: where everything is, the keys made at this start, commands to try. */
export function printBanner(s: RunningServer, store: string, adminKeyInEnv: boolean): void {
  const u = s.url;
  const integrity = snippetIntegrity();
  const lines = [
    '',
    'Funnelhouse is running.',
    `  Dashboard      ${u}/`,
    `  Demo shop      ${u}/demo/`,
    `  Snippet        ${u}/f.js${integrity ? `  (integrity ${integrity})` : '  (not built)'}`,
    `  Collect        ${u}/collect`,
    `  API            ${u}/api/v1   (health ${u}/healthz, metrics ${u}/metrics, docs ${u}/api/docs)`,
    `  ClickHouse     ${store}`,
    `  Demo site      id "${DEMO_SITE_ID}", site key "demo"`,
    s.generated.adminKey
      ? `  Admin key      ${s.generated.adminKey}   (shown once: save it, or set FUNNELHOUSE_ADMIN_KEY)`
      : '  Admin key      as set in FUNNELHOUSE_ADMIN_KEY or shown at first start',
    s.generated.demoApiKey
      ? `  Demo API key   ${s.generated.demoApiKey}   (shown once: save it)`
      : '  Demo API key   shown at first start (the "Try" lines below make another)',
    '',
    `  Sign in        open ${u}/ and paste the demo API key (the demo site's reports) or the admin key`,
    '                 (every site, and key management); run pnpm seed first for demo traffic',
    '',
    '  Try (in a second terminal, pasted as is):',
    ...tryLines(u, s.generated, adminKeyInEnv).map((l) => `    ${l}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Commands that work as pasted: the keys go into shell variables first. A key is shown only in
 * the start that made it (they are stored as hashes); later starts make a demo API key with the
 * admin key, from FUNNELHOUSE_ADMIN_KEY when it is set, else from the one the user saved.
 */
export function tryLines(
  url: string,
  generated: RunningServer['generated'],
  adminKeyInEnv: boolean,
): string[] {
  const keys = generated.adminKey
    ? [`export ADMIN_KEY=${generated.adminKey}`]
    : adminKeyInEnv
      ? ['export ADMIN_KEY="$FUNNELHOUSE_ADMIN_KEY"']
      : ['export ADMIN_KEY=…   # the admin key you saved at the first start'];
  const demo = generated.demoApiKey
    ? [`export DEMO_API_KEY=${generated.demoApiKey}`]
    : [
        `export DEMO_API_KEY=$(curl -s -X POST -H "Authorization: Bearer $ADMIN_KEY" ${url}/api/v1/sites/${DEMO_SITE_ID}/keys | node -pe 'JSON.parse(require("fs").readFileSync(0)).api_key')`,
      ];
  return [
    ...keys,
    ...demo,
    'pnpm seed',
    `curl -H "Authorization: Bearer $DEMO_API_KEY" "${url}/api/v1/sites/${DEMO_SITE_ID}/overview?range=7d"`,
    `curl -H "Authorization: Bearer $DEMO_API_KEY" "${url}/api/v1/sites/${DEMO_SITE_ID}/experiments/cta-color/results?range=7d"`,
  ];
}

/** A node of a larger deployment: what it serves and where its data goes, no keys. */
export function printRoleBanner(s: RunningServer, config: Config, store: string): void {
  const cluster = config.clickhouse.kind === 'server' && config.clickhouse.cluster;
  const serves =
    config.role === 'ingest'
      ? `${s.url}/collect and POST ${s.url}/api/v1/sites/:id/events (spool ${config.spool.dir})`
      : `${s.url}/ (dashboard), ${s.url}/api/v1 (reports, admin); no ingestion`;
  const lines = [
    '',
    `Funnelhouse ${config.role} node is running.`,
    `  Serves         ${serves}`,
    `  ClickHouse     ${store}${cluster ? ` (cluster ${cluster})` : ''}`,
    ...(s.generated.adminKey
      ? [`  Admin key      ${s.generated.adminKey}   (shown once: save it, or set FUNNELHOUSE_ADMIN_KEY)`]
      : []),
    ...(s.generated.demoApiKey ? [`  Demo API key   ${s.generated.demoApiKey}   (shown once: save it)`] : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
