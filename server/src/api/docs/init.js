// The API reference at /api/docs: Swagger UI (swagger-ui-dist, served by this server) over
// /api/v1/openapi.json. "Try it out" is authorised with the key the dashboard signed in with
// (kept in this browser's localStorage by the dashboard, never sent elsewhere).
/* global SwaggerUIBundle */
function signedInKeys() {
  try {
    const session = JSON.parse(localStorage.getItem('funnelhouse.session') || 'null');
    if (!session || typeof session.key !== 'string') return {};
    if (session.role === 'admin') {
      // The admin key reads no reports: "Try it out" on a site uses the API key the dashboard
      // made for the first site it remembers one for, and that site's id.
      const siteKeys = JSON.parse(localStorage.getItem('funnelhouse.siteKeys') || '{}');
      const [first] = Object.entries(siteKeys).filter(([, k]) => typeof k === 'string');
      return { adminKey: session.key, ...(first ? { siteId: first[0], apiKey: first[1] } : {}) };
    }
    return { apiKey: session.key, siteId: session.site?.id };
  } catch {
    return {};
  }
}

/**
 * The document with every `siteId` path parameter's example set to the signed-in site, so that
 * "Try it out" starts with it filled in (Swagger UI fills a parameter from its example).
 */
function withSiteId(doc, siteId) {
  if (typeof siteId !== 'string' || !siteId) return doc;
  for (const item of Object.values(doc.paths || {})) {
    for (const op of [item, ...Object.values(item)]) {
      if (!op || !Array.isArray(op.parameters)) continue;
      op.parameters = op.parameters.map((p) =>
        p && p.name === 'siteId' && p.in === 'path' ? { ...p, example: siteId } : p,
      );
    }
  }
  return doc;
}

const keys = signedInKeys();
const note = document.getElementById('signed-in');
if (note) {
  note.textContent =
    keys.apiKey || keys.adminKey
      ? `"Try it out" uses the key you signed in with on the dashboard${keys.siteId ? ` (site id ${keys.siteId})` : ''}.`
      : 'Sign in on the dashboard to try calls with your key, or use Authorize below.';
}

const DOC = '/api/v1/openapi.json';

const ui = SwaggerUIBundle({
  url: DOC,
  dom_id: '#docs',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  requestSnippetsEnabled: true,
  validatorUrl: null,
  // The document as it arrives gets the signed-in site's id (Swagger UI reads `res.text`).
  responseInterceptor: (res) => {
    if (!keys.siteId || !res.ok || new URL(res.url, location.href).pathname !== DOC) return res;
    try {
      const doc = withSiteId(JSON.parse(res.text), keys.siteId);
      res.text = JSON.stringify(doc);
      res.body = doc;
      res.obj = doc;
    } catch {
      // Not JSON: Swagger UI shows its own error.
    }
    return res;
  },
  onComplete: () => {
    if (keys.apiKey) ui.preauthorizeApiKey('apiKey', keys.apiKey);
    if (keys.adminKey) ui.preauthorizeApiKey('adminKey', keys.adminKey);
  },
});
