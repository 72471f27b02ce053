// Patient-flow dashboard: reads the live feed (/api/live, server-sent events) with fetch so the API key travels in
// the X-Api-Key header, never in a URL. The key is kept in sessionStorage: it dies with the tab.
"use strict";

(() => {
  const KEY_STORAGE = "hc.apiKey";
  const STALE_AFTER_MS = 5000;
  const RATE_POINTS = 120;
  const numbers = new Intl.NumberFormat("en-GB");
  const decimals = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  const hourOnly = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

  const $ = (id) => document.getElementById(id);
  let feed = null;
  let lastSnapshotAt = 0;
  let flowChart = null;
  let rateChart = null;
  const rateHistory = [];

  // ---- key and sign-in -------------------------------------------------------------------------------------------

  const apiKey = () => sessionStorage.getItem(KEY_STORAGE);

  function showLogin(message) {
    stopFeed();
    $("dashboard").hidden = true;
    $("sign-out").hidden = true;
    $("login").hidden = false;
    $("login-error").hidden = !message;
    $("login-error").textContent = message || "";
    setConnection("offline", "Not connected");
    $("hospital-clock").textContent = "";
    $("api-key").focus();
  }

  function showDashboard() {
    $("login").hidden = true;
    $("dashboard").hidden = false;
    $("sign-out").hidden = false;
    startFeed();
  }

  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("api-key").value.trim();
    if (!key) {
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    $("api-key").value = "";
    showDashboard();
  });

  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    clearData();
    showLogin("");
  });

  function rejectKey() {
    sessionStorage.removeItem(KEY_STORAGE);
    clearData();
    showLogin("That API key was not accepted. Check it and try again.");
  }

  // ---- live feed --------------------------------------------------------------------------------------------------

  function setConnection(state, text) {
    $("connection").dataset.state = state;
    $("connection-text").textContent = text;
  }

  function stopFeed() {
    if (feed) {
      feed.abort();
      feed = null;
    }
  }

  function startFeed() {
    stopFeed();
    const controller = new AbortController();
    feed = controller;
    readFeed(controller.signal);
  }

  async function readFeed(signal) {
    let delay = 1000;
    while (!signal.aborted) {
      try {
        setConnection(lastSnapshotAt ? "reconnecting" : "offline", lastSnapshotAt ? "Reconnecting…" : "Connecting…");
        const response = await fetch("/api/live", {
          headers: { "X-Api-Key": apiKey() || "", "Accept": "text/event-stream" },
          cache: "no-store",
          signal,
        });
        if (response.status === 401) {
          rejectKey();
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error(`feed answered ${response.status}`);
        }
        delay = 1000;
        await readEvents(response.body, signal);
      } catch (error) {
        if (signal.aborted) {
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  async function readEvents(body, signal) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        handleEvent(block);
      }
    }
  }

  function handleEvent(block) {
    let type = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) {
        type = line.slice(6).trim();
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    }
    if (type === "snapshot" && data.length > 0) {
      render(JSON.parse(data.join("\n")));
      lastSnapshotAt = Date.now();
      setConnection("live", "Live");
    } else if (type === "unavailable") {
      setConnection("stale", "Engine not answering");
    }
  }

  setInterval(() => {
    if (feed && lastSnapshotAt && Date.now() - lastSnapshotAt > STALE_AFTER_MS) {
      setConnection("stale", `No update for ${Math.round((Date.now() - lastSnapshotAt) / 1000)} s`);
    }
  }, 1000);

  // ---- rendering --------------------------------------------------------------------------------------------------

  const level = (percent) => (percent >= 95 ? "full" : percent >= 85 ? "busy" : "ok");
  const levelText = { ok: "", busy: "BUSY", full: "FULL" };

  function minutes(value) {
    if (value === null || value === undefined) {
      return "–";
    }
    if (value < 60) {
      return `${Math.round(value)} min`;
    }
    const h = Math.floor(value / 60);
    const m = Math.round(value % 60);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }

  function setText(id, text) {
    const element = $(id);
    if (element.textContent !== text) {
      element.textContent = text;
    }
  }

  function render(snapshot) {
    const census = snapshot.census;
    const percent = census.beds === 0 ? 0 : (100 * census.occupied) / census.beds;
    setText("census-occupied", numbers.format(census.occupied));
    setText("census-beds", numbers.format(census.beds));
    setText("census-percent", `${decimals.format(percent)} %`);
    setText("census-free", numbers.format(Math.max(0, census.beds - census.occupied)));
    $("tile-census").dataset.level = level(percent);
    setText("census-waiting", numbers.format(census.waiting));

    setText("emergency-waiting", numbers.format(snapshot.emergency.waiting));
    setText("emergency-longest", minutes(snapshot.emergency.longest_wait_minutes));
    setText("emergency-average", minutes(snapshot.emergency.average_wait_minutes));

    const sum = (field) => census.wards.reduce((total, ward) => total + ward[field], 0);
    setText("today-arrivals", numbers.format(sum("arrivals_today")));
    setText("today-admissions", numbers.format(sum("admissions_today")));
    setText("today-discharges", numbers.format(sum("discharges_today")));

    setText("hospital-clock", snapshot.hospital_clock ? `Hospital clock ${dateTime.format(new Date(snapshot.hospital_clock))} UTC` : "No events yet");

    renderWards(census.wards);
    renderFlow(snapshot.flow);
    renderEngine(snapshot.engine);
  }

  function renderWards(wards) {
    const list = $("ward-list");
    const seen = new Set();
    wards.forEach((ward, index) => {
      seen.add(ward.ward_id);
      let row = list.querySelector(`li[data-ward-id="${CSS.escape(ward.ward_id)}"]`);
      if (!row) {
        row = createWardRow(ward);
      }
      if (list.children[index] !== row) {
        list.insertBefore(row, list.children[index] || null);
      }
      const percent = ward.beds === 0 ? 0 : (100 * ward.occupied) / ward.beds;
      const wardLevel = level(percent);
      row.dataset.level = wardLevel;
      row.querySelector(".bar-fill").style.width = `${Math.min(100, percent)}%`;
      row.querySelector(".bar").setAttribute("aria-valuenow", String(ward.occupied));
      row.querySelector(".bar").setAttribute("aria-valuemax", String(ward.beds));
      row.querySelector(".bar").setAttribute("aria-valuetext", `${ward.occupied} of ${ward.beds} beds, ${Math.round(percent)} percent`);
      row.querySelector("[data-testid=ward-occupied]").textContent = numbers.format(ward.occupied);
      row.querySelector("[data-testid=ward-beds]").textContent = numbers.format(ward.beds);
      row.querySelector("[data-testid=ward-waiting]").textContent = numbers.format(ward.waiting);
      row.querySelector(".ward-level").textContent = `${Math.round(percent)} % ${levelText[wardLevel]}`.trim();
    });
    for (const row of [...list.children]) {
      if (!seen.has(row.dataset.wardId)) {
        row.remove();
      }
    }
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function createWardRow(ward) {
    const row = element("li", "ward");
    row.dataset.wardId = ward.ward_id;

    const name = element("div", "ward-name", ward.name);
    name.append(element("span", "ward-meta", `${ward.ward_id} · ${ward.department}`));

    const bar = element("div", "bar");
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-label", `${ward.name} occupancy`);
    bar.append(element("div", "bar-fill"));

    const count = element("div", "ward-count");
    count.append(element("span", "", ""), element("span", "beds", " / "));
    count.children[0].dataset.testid = "ward-occupied";
    const beds = element("span", "", "");
    beds.dataset.testid = "ward-beds";
    count.children[1].append(beds);
    count.append(element("div", "ward-level"));

    const waiting = element("div", "ward-waiting");
    const waitingCount = element("strong", "", "");
    waitingCount.dataset.testid = "ward-waiting";
    waiting.append(waitingCount, document.createTextNode(" waiting"));

    row.append(name, bar, count, waiting);
    return row;
  }

  function renderFlow(flow) {
    if (!window.Chart) {
      return;
    }
    const labels = flow.map((h) => hourOnly.format(new Date(h.hour)));
    const series = [flow.map((h) => h.arrivals), flow.map((h) => h.admissions), flow.map((h) => h.discharges)];
    if (!flowChart) {
      flowChart = new Chart($("flow-chart"), {
        type: "bar",
        data: {
          labels,
          datasets: [
            { label: "Arrivals", data: series[0], backgroundColor: "#0b5cad" },
            { label: "Admissions", data: series[1], backgroundColor: "#7c3aed" },
            { label: "Discharges", data: series[2], backgroundColor: "#0f8a7e" },
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "top", align: "end", labels: { boxWidth: 14, color: "#14213d", font: { size: 13 } } } },
          scales: {
            x: { grid: { display: false }, ticks: { color: "#4a5568", maxRotation: 0, autoSkipPadding: 8 } },
            y: { beginAtZero: true, ticks: { color: "#4a5568", precision: 0 }, grid: { color: "#eef1f5" } },
          },
        },
      });
      return;
    }
    flowChart.data.labels = labels;
    flowChart.data.datasets.forEach((dataset, i) => { dataset.data = series[i]; });
    flowChart.update("none");
  }

  function renderEngine(engine) {
    setText("engine-rate", decimals.format(engine.events_per_second));
    setText("engine-lag", numbers.format(engine.lag));
    setText("engine-rejected", numbers.format(engine.messages_rejected));
    setText("engine-applied", numbers.format(engine.events_applied));
    setText("engine-silos", engine.silos === 1 ? "1 silo reporting" : `${engine.silos} silos reporting`);

    fillList("engine-reasons", Object.entries(engine.rejections_by_reason).sort((a, b) => b[1] - a[1]), "No rejections");
    fillList("engine-partitions", engine.partitions.map((p) => [`partition ${p.partition}`, p.lag]), "No partitions reported yet");

    rateHistory.push(engine.events_per_second);
    if (rateHistory.length > RATE_POINTS) {
      rateHistory.shift();
    }
    if (!window.Chart) {
      return;
    }
    if (!rateChart) {
      rateChart = new Chart($("rate-chart"), {
        type: "line",
        data: { labels: rateHistory.map((_, i) => i), datasets: [{ label: "Events per second", data: [...rateHistory], borderColor: "#0b5cad", backgroundColor: "rgba(11, 92, 173, 0.12)", fill: true, pointRadius: 0, borderWidth: 2, tension: 0.25 }] },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { beginAtZero: true, ticks: { color: "#4a5568", maxTicksLimit: 3, precision: 0 }, grid: { color: "#eef1f5" } } },
        },
      });
      return;
    }
    rateChart.data.labels = rateHistory.map((_, i) => i);
    rateChart.data.datasets[0].data = [...rateHistory];
    rateChart.update("none");
  }

  function fillList(id, entries, emptyText) {
    const list = $(id);
    list.replaceChildren();
    if (entries.length === 0) {
      list.append(element("li", "empty", emptyText));
      return;
    }
    for (const [label, value] of entries) {
      const item = element("li");
      item.append(element("span", "", label), element("span", "", numbers.format(value)));
      list.append(item);
    }
  }

  function clearData() {
    $("ward-list").replaceChildren();
    for (const id of ["census-occupied", "census-beds", "census-percent", "census-free", "census-waiting", "emergency-waiting",
      "emergency-longest", "emergency-average", "today-arrivals", "today-admissions", "today-discharges", "engine-rate",
      "engine-lag", "engine-rejected", "engine-applied"]) {
      $(id).textContent = "–";
    }
    $("lookup-result").hidden = true;
    $("lookup-message").textContent = "";
    rateHistory.length = 0;
    lastSnapshotAt = 0;
  }

  // ---- patient lookup ---------------------------------------------------------------------------------------------

  $("lookup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = $("patient-id").value.trim();
    if (!id) {
      return;
    }
    $("lookup-message").textContent = "Looking up…";
    $("lookup-result").hidden = true;
    try {
      const response = await fetch(`/api/patients/${encodeURIComponent(id)}`, { headers: { "X-Api-Key": apiKey() || "" }, cache: "no-store" });
      if (response.status === 401) {
        rejectKey();
        return;
      }
      if (response.status === 404) {
        $("lookup-message").textContent = "No event for this patient has been applied.";
        return;
      }
      if (!response.ok) {
        $("lookup-message").textContent = `The engine answered ${response.status}; try again.`;
        return;
      }
      renderPatient(await response.json());
      $("lookup-message").textContent = "";
    } catch {
      $("lookup-message").textContent = "The engine could not be reached; try again.";
    }
  });

  const when = (value) => (value ? `${dateTime.format(new Date(value))}` : "–");
  const title = (value) => (value ? value.charAt(0) + value.slice(1).toLowerCase() : "–");

  function renderPatient(patient) {
    const facts = [
      ["Status", title(patient.status)],
      ["Ward", patient.ward_id || patient.pending_ward_id || "–"],
      ["Bed", patient.bed_id || "–"],
      ["Department", patient.department || "–"],
      ["Acuity", patient.acuity ?? "–"],
      ["Arrived", when(patient.arrived_at)],
      ["Admitted", when(patient.admitted_at)],
      ["Discharged", when(patient.discharged_at)],
      ["Events applied", numbers.format(patient.events_applied)],
      ["Events rejected", numbers.format(patient.events_rejected)],
    ];
    const list = $("patient-facts");
    list.replaceChildren();
    for (const [label, value] of facts) {
      const item = element("div");
      item.append(element("dt", "", label), element("dd", "", String(value)));
      list.append(item);
    }

    const journey = $("journey-rows");
    journey.replaceChildren();
    for (const stay of patient.journey) {
      const stayMinutes = stay.left_at ? (new Date(stay.left_at) - new Date(stay.entered_at)) / 60000 : null;
      journey.append(row([stay.encounter_id, stay.ward_id, stay.bed_id || "–", when(stay.entered_at), stay.left_at ? when(stay.left_at) : "still there", minutes(stayMinutes)], !stay.left_at));
    }
    if (patient.journey.length === 0) {
      journey.append(row(["No ward stay yet", "", "", "", "", ""], false));
    }

    const history = $("history-rows");
    history.replaceChildren();
    for (const version of patient.history) {
      const a = version.attributes;
      history.append(row([`v${version.version}`, a.gender || "–", a.age_band || "–", a.postal_region || "–", a.payer || "–", when(version.valid_from), version.valid_to ? when(version.valid_to) : "current"], !version.valid_to));
    }
    if (patient.history.length === 0) {
      history.append(row(["No attributes recorded", "", "", "", "", "", ""], false));
    }
    $("lookup-result").hidden = false;
  }

  function row(cells, current) {
    const tr = element("tr", current ? "current" : "");
    for (const cell of cells) {
      tr.append(element("td", "", String(cell)));
    }
    return tr;
  }

  // ---- start ------------------------------------------------------------------------------------------------------

  if (apiKey()) {
    showDashboard();
  } else {
    showLogin("");
  }
})();
