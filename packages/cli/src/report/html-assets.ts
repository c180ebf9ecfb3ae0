// The html report's inline style and script: the page must open from a file, offline, with no CDN.

export const htmlStyle = `
:root { --label: 13rem; --row: 22px; --completed: #2e9d57; --failed: #d93b3b; --timed-out: #e8891c; --cancelled: #8c8c8c; --abandoned: #8a5cc2; --critical: #1b2a4a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
header { padding: 16px 20px 4px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta, .critical-path, .breaker { margin: 4px 0; color: #4b535c; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.stats { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 10px 0; }
.stats div { display: flex; flex-direction: column; }
.stats dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #6a737d; }
.stats dd { margin: 0; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; padding: 6px 20px; font-size: 12px; color: #4b535c; border-bottom: 1px solid #e4e7eb; position: sticky; top: 0; background: #fff; z-index: 3; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 16px; height: 10px; border-radius: 2px; }
#filter { padding: 3px 8px; font: inherit; border: 1px solid #c9ced4; border-radius: 4px; min-width: 14rem; }
.timeline { margin: 0 20px 24px; overflow: auto; max-height: calc(100vh - 40px); --zoom: 1; }
.canvas { width: calc(var(--label) + (100% - var(--label)) * var(--zoom)); min-width: 100%; }
.axis { display: flex; position: sticky; top: 0; background: #fff; z-index: 4; border-bottom: 1px solid #d0d5db; height: 22px; font-size: 11px; color: #6a737d; }
.zoom { display: inline-flex; align-items: center; gap: 6px; margin-left: auto; }
.axis .track { position: relative; }
.tick { position: absolute; top: 4px; transform: translateX(-50%); white-space: nowrap; }
.tick:first-child { transform: none; }
.tick:last-child:not(:first-child) { transform: translateX(-100%); }
.label { flex: 0 0 var(--label); width: var(--label); padding-right: 8px; position: sticky; left: 0; z-index: 3; background: #fff; height: 100%; line-height: calc(var(--row) - 1px); padding-top: 2px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.track { flex: 1 1 auto; position: relative; height: 100%; margin: 0 4px; }
.rows { position: relative; }
.bands { position: absolute; top: 0; bottom: 0; left: calc(var(--label) + 4px); right: 4px; pointer-events: none; z-index: 0; }
.breaker-open { background: repeating-linear-gradient(135deg, rgba(217,59,59,.10) 0 6px, rgba(217,59,59,.20) 6px 12px); }
.bands .breaker-open { position: absolute; top: 0; bottom: 0; }
.row { display: flex; align-items: center; height: var(--row); border-bottom: 1px solid #f1f3f5; position: relative; z-index: 1; }
.row:hover, .row:hover .label { background: #eef4fb; }
.row.hidden { display: none; }
.track .attempt, .track .wait, .track .retry-wait { position: absolute; top: 4px; bottom: 4px; min-width: 2px; border-radius: 3px; }
.outcome-completed { background: var(--completed); }
.outcome-failed { background: var(--failed); }
.outcome-timed-out { background: var(--timed-out); }
.outcome-cancelled { background: var(--cancelled); }
.outcome-abandoned { background: var(--abandoned); }
.wait { background: repeating-linear-gradient(90deg, #aab4bf 0 3px, transparent 3px 6px); }
.track .wait { top: 9px; bottom: 9px; }
.retry-wait { background: transparent; border: 1px dashed var(--failed); border-radius: 0; }
.track .retry-wait { top: 8px; bottom: 8px; }
.swatch.wait, .swatch.retry-wait { height: 4px; }
.row.critical .label { font-weight: 700; color: var(--critical); }
.row.critical .label::before { content: "★ "; color: #d4a017; }
.row.critical .attempt, .swatch.critical-mark { box-shadow: 0 0 0 2px var(--critical); }
.swatch.critical-mark { background: var(--completed); }
.note { position: absolute; left: 0; padding-left: 6px; font-size: 11px; color: #6a737d; white-space: nowrap; top: 50%; transform: translateY(-50%); }
.row.status-skipped .label, .row.status-not-run .label { color: #8c959f; }
.row.status-skipped .note { color: var(--failed); }
.dense { --row: 12px; }
.dense .label { font-size: 10px; padding-top: 1px; }
.dense .note { font-size: 9px; }
.dense .track .attempt { top: 2px; bottom: 2px; border-radius: 1px; }
.dense .track .wait, .dense .track .retry-wait { top: 5px; bottom: 5px; }
.dense .row.critical .attempt { box-shadow: 0 0 0 1px var(--critical); }
`;

/** Filters rows by id or status as you type, and zooms the time axis; nothing else needs script. */
export const htmlScript = `
(function () {
  var input = document.getElementById('filter');
  var zoom = document.getElementById('zoom');
  var timeline = document.querySelector('.timeline');
  var rows = document.querySelectorAll('.row');
  if (!input || !zoom || !timeline) return;
  zoom.addEventListener('input', function () {
    timeline.style.setProperty('--zoom', zoom.value);
  });
  input.addEventListener('input', function () {
    var query = input.value.trim().toLowerCase();
    for (var index = 0; index < rows.length; index += 1) {
      var row = rows[index];
      var text = (row.getAttribute('data-ws') + ' ' + row.getAttribute('data-status')).toLowerCase();
      row.classList.toggle('hidden', query !== '' && text.indexOf(query) === -1);
    }
  });
})();
`;
