// Renders /api/v1/openapi.json as a list of operations. Plain DOM, no dependencies: the page is
// served under `script-src 'self'`, so nothing may come from a CDN.
(async function renderDocs() {
  const doc = await (await fetch('/api/v1/openapi.json')).json();
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  const resolve = (s) => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const pre = (value) => el('pre', {}, JSON.stringify(value, null, 2));
  document.getElementById('intro').append(el('p', {}, doc.info.description));
  const ops = document.getElementById('ops');
  ops.textContent = '';
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = el('div');
      if (op.security)
        body.append(el('p', {}, `Auth: ${op.security.map((s) => Object.keys(s)[0]).join(', ')}`));
      if (op.parameters?.length) {
        const rows = op.parameters.map((p) =>
          el(
            'tr',
            {},
            el('td', {}, p.name),
            el('td', {}, p.in),
            el('td', {}, p.required ? 'required' : ''),
            el('td', {}, JSON.stringify(p.schema)),
          ),
        );
        body.append(el('h4', {}, 'Parameters'), el('table', {}, ...rows));
      }
      if (op.requestBody) {
        const media = Object.values(op.requestBody.content)[0];
        body.append(el('h4', {}, 'Request body'), pre(resolve(media.schema)));
      }
      for (const [status, r] of Object.entries(op.responses || {})) {
        const media = r.content && Object.values(r.content)[0];
        body.append(el('h4', {}, `${status} ${r.description}`));
        if (media?.schema && status.startsWith('2')) body.append(pre(resolve(media.schema)));
      }
      const summary = el(
        'summary',
        {},
        el('span', { class: `m ${method}` }, method.toUpperCase()),
        `${path}  ${op.summary || ''}`,
      );
      ops.append(el('details', { class: 'op', id: `${method}-${path}` }, summary, body));
    }
  }
})();
