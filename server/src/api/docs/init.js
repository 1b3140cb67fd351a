// The API reference at /api/docs: Swagger UI (swagger-ui-dist, served by this server) over
// /api/v1/openapi.json. "Try it out" is authorised with the key the dashboard signed in with
// (kept in this browser's localStorage by the dashboard, never sent elsewhere).
/* global SwaggerUIBundle */
function signedInKeys() {
  try {
    const session = JSON.parse(localStorage.getItem('funnelhouse.session') || 'null');
    if (!session || typeof session.key !== 'string') return {};
    if (session.role === 'admin') {
      const siteKeys = JSON.parse(localStorage.getItem('funnelhouse.siteKeys') || '{}');
      const first = Object.values(siteKeys)[0];
      return { adminKey: session.key, ...(typeof first === 'string' ? { apiKey: first } : {}) };
    }
    return { apiKey: session.key, siteId: session.site?.id };
  } catch {
    return {};
  }
}

const keys = signedInKeys();
const note = document.getElementById('signed-in');
if (note) {
  note.textContent =
    keys.apiKey || keys.adminKey
      ? `"Try it out" uses the key you signed in with on the dashboard${keys.siteId ? ` (site id ${keys.siteId})` : ''}.`
      : 'Sign in on the dashboard to try calls with your key, or use Authorize below.';
}

const ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#docs',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  requestSnippetsEnabled: true,
  validatorUrl: null,
  onComplete: () => {
    if (keys.apiKey) ui.preauthorizeApiKey('apiKey', keys.apiKey);
    if (keys.adminKey) ui.preauthorizeApiKey('adminKey', keys.adminKey);
  },
});
