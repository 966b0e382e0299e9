// A self-contained API docs page (no CDN: appliances are often offline): it reads
// openapi.json and lists every operation with its permission, parameters and body schema.
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deskline API v1</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccd;text-transform:capitalize}
details{border:1px solid #dde;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}pre{background:#f5f6fa;padding:.6rem;overflow:auto}
.m{display:inline-block;min-width:4.5rem;font-weight:600}.get{color:#1a7f37}.post{color:#0550ae}.patch,.put{color:#9a6700}.delete{color:#cf222e}
.perm{float:right;color:#57606a;font-size:13px}
</style></head><body>
<h1>Deskline admin API v1</h1>
<p>Base path <code>/api/v1</code>. Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1). Errors are always
<code>{"error":{"code","message","details"}}</code>. Browsers log in with <code>POST /auth/login</code> (session cookie) and send the
CSRF token from the answer in <code>x-csrf-token</code> on every change; integrations send <code>Authorization: Bearer dkl_…</code>.</p>
<div id="ops">Loading…</div>
<script>
fetch('openapi.json').then(r => r.json()).then(doc => {
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    (byTag[(op.tags || ['other'])[0]] ||= []).push({ path, method, op });
  }
  const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  const out = [];
  for (const tag of Object.keys(byTag).sort()) {
    out.push('<h2>' + esc(tag) + '</h2>');
    for (const { path, method, op } of byTag[tag]) {
      const body = op.requestBody && op.requestBody.content && Object.values(op.requestBody.content)[0];
      out.push('<details><summary><span class="m ' + method + '">' + method.toUpperCase() + '</span> <code>' + esc(path) + '</code> ' + esc(op.summary || '') +
        '<span class="perm">' + esc(op['x-deskline-permission'] || '') + '</span></summary>' +
        (op.parameters ? '<p>Parameters: ' + op.parameters.map(p => '<code>' + esc(p.name) + '</code> (' + esc(p.in) + ')').join(', ') + '</p>' : '') +
        (body ? '<p>Body:</p><pre>' + esc(JSON.stringify(body.schema, null, 2)) + '</pre>' : '') +
        '<p>Responses: ' + Object.entries(op.responses).map(([s, r]) => '<code>' + s + '</code> ' + esc(r.description)).join('; ') + '</p></details>');
    }
  }
  document.getElementById('ops').innerHTML = out.join('');
}, e => { document.getElementById('ops').textContent = 'Cannot load openapi.json: ' + e; });
</script></body></html>`;
