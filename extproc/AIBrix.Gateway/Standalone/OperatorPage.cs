namespace AIBrix.Gateway.Standalone;

/// <summary>
/// The operator page at <c>GET /</c>: endpoints and the last routing decisions, refreshed every
/// second from <c>/debug/endpoints</c> and <c>/debug/decisions</c>. One self-contained document:
/// nothing is fetched from elsewhere, so it works on a machine with no network.
/// </summary>
internal static class OperatorPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>AIBrix gateway</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
          h1 { font-size: 1.3rem; margin: 0 0 .2rem; }
          h2 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
          .sub { color: #667; margin-bottom: 1rem; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e3e6ee; white-space: nowrap; }
          th { background: #f4f6fa; font-weight: 600; }
          td.num { text-align: right; font-variant-numeric: tabular-nums; }
          .ok { color: #137333; font-weight: 600; }
          .bad { color: #b3261e; font-weight: 600; }
          .bar { display: inline-block; height: .6rem; background: #4f7cff; vertical-align: middle; margin-right: .4rem; }
          #error { color: #b3261e; }
        </style>
        </head>
        <body>
        <h1>AIBrix gateway</h1>
        <div class="sub">Standalone mode · refreshes every second · <span id="updated">loading…</span> <span id="error"></span></div>
        <h2>Endpoints</h2>
        <table id="endpoints">
          <thead><tr><th>Endpoint</th><th>Address</th><th>Model</th><th>Ready</th><th>Running</th><th>Waiting</th>
          <th>KV cache</th><th>In flight</th><th>Served</th><th>Errors</th><th>Metrics age</th><th>Last error</th></tr></thead>
          <tbody></tbody>
        </table>
        <h2>Last routing decisions</h2>
        <table id="decisions">
          <thead><tr><th>Time</th><th>Model</th><th>Strategy</th><th>Endpoint</th><th>Status</th><th>Why</th></tr></thead>
          <tbody></tbody>
        </table>
        <script>
        "use strict";
        function cell(row, text, cls) {
          const td = document.createElement("td");
          td.textContent = text === null || text === undefined ? "–" : String(text);
          if (cls) td.className = cls;
          row.appendChild(td);
          return td;
        }
        function num(v, digits) { return v === null || v === undefined ? "–" : Number(v).toFixed(digits); }
        function renderEndpoints(data) {
          const body = document.querySelector("#endpoints tbody");
          body.replaceChildren();
          for (const e of data.endpoints) {
            const m = e.metrics || {};
            const row = document.createElement("tr");
            row.dataset.endpoint = e.name;
            cell(row, e.name); cell(row, e.address); cell(row, e.model);
            cell(row, e.ready ? "ready" : "not ready", e.ready ? "ok" : "bad");
            cell(row, num(m.running, 0), "num"); cell(row, num(m.waiting, 0), "num");
            const kv = cell(row, "", "num");
            if (m.kvCacheUsage !== null && m.kvCacheUsage !== undefined) {
              const bar = document.createElement("span");
              bar.className = "bar";
              bar.style.width = Math.round(m.kvCacheUsage * 60) + "px";
              kv.replaceChildren(bar, document.createTextNode((m.kvCacheUsage * 100).toFixed(1) + "%"));
            } else { kv.textContent = "–"; }
            cell(row, e.inFlight, "num"); cell(row, e.served, "num"); cell(row, e.errors, "num");
            cell(row, e.metricsAgeMs === null ? "never" : num(e.metricsAgeMs, 0) + " ms", "num");
            cell(row, e.lastError || "");
            body.appendChild(row);
          }
        }
        function renderDecisions(data) {
          const body = document.querySelector("#decisions tbody");
          body.replaceChildren();
          for (const d of data.decisions) {
            const row = document.createElement("tr");
            cell(row, new Date(d.at).toLocaleTimeString()); cell(row, d.model); cell(row, d.strategy || "(route)");
            cell(row, d.endpoint); cell(row, d.status, d.status >= 400 ? "bad num" : "num"); cell(row, d.reason || "");
            body.appendChild(row);
          }
        }
        async function refresh() {
          try {
            const [endpoints, decisions] = await Promise.all([
              fetch("/debug/endpoints", { cache: "no-store" }).then(r => r.json()),
              fetch("/debug/decisions", { cache: "no-store" }).then(r => r.json())]);
            renderEndpoints(endpoints);
            renderDecisions(decisions);
            document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
            document.getElementById("error").textContent = "";
          } catch (err) {
            document.getElementById("error").textContent = "gateway unreachable: " + err;
          }
        }
        refresh();
        setInterval(refresh, 1000);
        </script>
        </body>
        </html>
        """;
}
