// The state explorer: reads the operator's feeder gateway (open, no token) and draws it.
// Numbers that may exceed 2^53 arrive as strings and are shown as they come.
"use strict";

const REFRESH_MS = 2000;
const BATCHES_SHOWN = 25;

async function feeder(call, params) {
  const query = params ? "?" + new URLSearchParams(params) : "";
  const response = await fetch(`/feeder_gateway/${call}${query}`);
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(`${body.code}: ${body.message}`);
    error.code = body.code;
    throw error;
  }
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "—" : String(text);
  if (className) td.className = className;
  return td;
}

function short(hex) {
  return hex && hex.length > 18 ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : hex;
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
  return (d ? `${d}d ` : "") + `${h}h ${m}m ${s}s`;
}

async function showConfig() {
  const c = await feeder("get_config");
  const markets = c.synthetic_assets.map(a => `${a.name} (${a.asset_id})`).join(", ") || "none";
  document.getElementById("config").innerHTML = "";
  const lines = [
    `exchange ${c.exchange_address} on chain ${c.chain_id} (${c.data_availability_mode})`,
    `collateral asset id ${c.collateral.asset_id}, resolution ${c.collateral.resolution}, L1 quantum ${c.collateral.quantum} wei`,
    `synthetic assets: ${markets}`,
  ];
  for (const line of lines) {
    const div = document.createElement("div");
    div.textContent = line;
    document.getElementById("config").appendChild(div);
  }
}

async function showBatches() {
  let last;
  try {
    last = await feeder("get_last_batch_id");
  } catch (error) {
    if (error.code === "NO_BATCH") {
      document.getElementById("no-batches").hidden = false;
      return;
    }
    throw error;
  }
  document.getElementById("no-batches").hidden = true;
  const ids = [];
  for (let id = last; id >= 0 && ids.length < BATCHES_SHOWN; id--) ids.push(id);
  const batches = await Promise.all(ids.map(id => feeder("get_batch_info", {batch_id: id})));
  const body = document.querySelector("#batches tbody");
  body.innerHTML = "";
  for (const b of batches) {
    const row = body.insertRow();
    row.id = `batch-${b.batch_id}`;
    cell(row, b.batch_id);
    cell(row, b.status, `status status-${b.status}`);
    cell(row, `${b.tx_ids[0]}..${b.tx_ids[1]}`, "tx-range");
    cell(row, short(b.fact), "mono fact").title = b.fact || "";
    cell(row, b.prover ? (b.proof_size === null || b.proof_size === undefined
      ? `${b.prover} (no proof)` : `${b.prover}, ${b.proof_size} bytes`) : null, "proof");
    const l1 = [b.fact_tx && `fact ${short(b.fact_tx)}`, b.update_state_tx && `updateState ${short(b.update_state_tx)}`]
      .filter(Boolean).join(", ");
    cell(row, l1 || null, "mono l1");
    cell(row, b.update_state_gas, "gas");
  }
}

async function showPosition(positionId) {
  const error = document.getElementById("position-error");
  try {
    const [position, history] = await Promise.all([
      feeder("get_position", {position_id: positionId}),
      feeder("get_position_history", {position_id: positionId}),
    ]);
    error.hidden = true;
    document.getElementById("position").hidden = false;
    document.getElementById("position-key").textContent = position.public_key;
    const balances = document.querySelector("#balances tbody");
    balances.innerHTML = "";
    const collateral = balances.insertRow();
    collateral.id = "balance-collateral";
    cell(collateral, "collateral");
    cell(collateral, position.collateral_balance, "balance");
    cell(collateral, null);
    for (const a of position.assets) {
      const row = balances.insertRow();
      row.id = `balance-${a.asset_id}`;
      cell(row, a.name);
      cell(row, a.balance, "balance");
      cell(row, a.cached_funding_index);
    }
    const rows = document.querySelector("#history tbody");
    rows.innerHTML = "";
    for (const t of history.transactions) {
      const row = rows.insertRow();
      row.id = `history-${t.tx_id}`;
      cell(row, t.tx_id);
      cell(row, t.type);
      cell(row, t.status, `status status-${t.status}`);
      cell(row, t.batch_id);
      cell(row, t.summary);
    }
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  }
}

async function showForced() {
  const data = await feeder("get_forced_requests");
  document.getElementById("frozen-banner").hidden = !data.frozen;
  const body = document.querySelector("#forced tbody");
  body.innerHTML = "";
  document.getElementById("no-forced").hidden = data.forced_requests.length > 0;
  for (const r of data.forced_requests) {
    const row = body.insertRow();
    row.id = `forced-${r.tx_id}`;
    cell(row, r.tx_id);
    cell(row, r.type);
    cell(row, r.status, `status status-${r.status}`);
    cell(row, r.requested_at ? new Date(r.requested_at * 1000).toISOString() : null);
    cell(row, r.seconds_left === null ? null : (r.seconds_left > 0 ? duration(r.seconds_left) : "now: the exchange can be frozen"),
         "countdown");
  }
}

let shownPosition = null;

async function refresh() {
  const results = await Promise.allSettled([showBatches(), showForced(),
    shownPosition === null ? Promise.resolve() : showPosition(shownPosition)]);
  const failed = results.filter(r => r.status === "rejected").map(r => r.reason.message);
  document.getElementById("updated").textContent =
    `updated ${new Date().toLocaleTimeString()}` + (failed.length ? ` — ${failed.join("; ")}` : "");
}

document.getElementById("position-form").addEventListener("submit", event => {
  event.preventDefault();
  shownPosition = document.getElementById("position-id").value;
  window.location.hash = `position=${shownPosition}`;
  showPosition(shownPosition);
});

const fromHash = /position=(\d+)/.exec(window.location.hash);
if (fromHash) {
  shownPosition = fromHash[1];
  document.getElementById("position-id").value = shownPosition;
}
showConfig().catch(error => { document.getElementById("config").textContent = error.message; });
refresh();
setInterval(refresh, REFRESH_MS);
