// The live mirror page (templates/mirror/mirror.html). No angle is computed here: this file
// runs the pose model (@mediapipe/pose, served from this site), sends each frame's landmarks
// to the server over a WebSocket and shows what the server answers (values, cues, counter,
// messages, the repaired skeleton). The camera picture never leaves the browser; only one
// number about it is sent (its mean brightness, for "too dark").
"use strict";
(function () {
  const root = document.querySelector("[data-mirror]");
  if (!root) return;
  const $ = (selector) => root.querySelector(selector);
  const video = $(".mirror-video");
  const canvas = $(".mirror-overlay");
  const ink = canvas.getContext("2d");
  const startButton = $("[data-action=start]");
  const stopButton = $("[data-action=stop]");
  const status = $("[data-status]");
  const cueLine = $("[data-cue]");
  const messages = $("[data-messages]");
  const RUNTIME = root.dataset.runtime;
  // Model choice (docs/mirror.md): "auto" tries the full model on a few frames first and
  // keeps it when the device manages FULL_MIN_FPS with it, else it uses lite.
  const FULL_MIN_FPS = 10;
  const TRIAL_FRAMES = 4;
  const MAX_IN_FLIGHT = 2;
  const SEGMENTS = [[11, 12], [11, 23], [12, 24], [23, 24], [23, 25], [25, 27], [24, 26],
    [26, 28], [27, 29], [29, 31], [27, 31], [28, 30], [30, 32], [28, 32], [11, 13], [13, 15],
    [12, 14], [14, 16]];
  const LEFT = { hip: 23, knee: 25, ankle: 27 };
  const RIGHT = { hip: 24, knee: 26, ankle: 28 };

  let pose = null, stream = null, socket = null, takeId = null, running = false;
  let started = false, inFlight = 0, reconnectDelay = 500, model = "full";
  let lastPoints = null, lastPassed = {}, stamps = [];
  // Each camera frame is analysed once: a device quicker than its camera would otherwise
  // send one picture several times, and repeated pictures look like a body standing still
  // (the feet's contact rules count pictures). pickedAt: when the analysed frame was taken.
  const FRAME_CALLBACKS = "requestVideoFrameCallback" in HTMLVideoElement.prototype;
  let freshFrame = true, frameWaiter = null, pickedAt = 0;
  const shade = document.createElement("canvas");
  shade.width = 32; shade.height = 32;
  const shadeInk = shade.getContext("2d", { willReadFrequently: true });

  // How far the phone leans sideways, degrees (null: no motion sensor, or lying flat): the
  // direction of gravity in the screen's plane against the picture's up, low-passed so a
  // tap on the phone does not count. Only its size is sent (the sign of the sensor's axes
  // differs between devices); the server asks for an upright phone past its limit.
  let tilt = null, gravity = null;
  function onMotion(event) {
    const g = event.accelerationIncludingGravity;
    if (!g || g.x === null || g.y === null || g.x === undefined || g.y === undefined) return;
    gravity = gravity ? { x: gravity.x + 0.2 * (g.x - gravity.x), y: gravity.y + 0.2 * (g.y - gravity.y) }
      : { x: g.x, y: g.y };
    const sideways = screen.orientation && screen.orientation.angle % 180 !== 0;
    const across = Math.abs(sideways ? gravity.y : gravity.x);
    const along = Math.abs(sideways ? gravity.x : gravity.y);
    tilt = across + along < 3 ? null : Math.atan2(across, along) * 180 / Math.PI;
  }
  function watchTilt() {
    window.addEventListener("devicemotion", onMotion);
    // iOS sends motion events only once the user allowed them, asked from this click; the
    // answer is not waited for (some browsers never give one), the events simply start
    if (typeof DeviceMotionEvent !== "undefined" && typeof DeviceMotionEvent.requestPermission === "function") {
      DeviceMotionEvent.requestPermission().catch(() => {});
    }
  }

  function say(text) { status.textContent = text; }
  function choice(name) { return root.querySelector(`select[name=${name}]`).value; }

  function brightness() {
    shadeInk.drawImage(video, 0, 0, shade.width, shade.height);
    const pixels = shadeInk.getImageData(0, 0, shade.width, shade.height).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      sum += 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
    }
    return Math.min(1, Math.max(0, sum / (pixels.length / 4) / 255));
  }

  function frameRate() {
    const now = performance.now();
    stamps.push(now);
    while (stamps.length > 1 && now - stamps[0] > 5000) stamps.shift();
    if (stamps.length < 2) return null;
    return (stamps.length - 1) / ((now - stamps[0]) / 1000);
  }

  function draw() {
    const width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return;
    if (canvas.width !== width) { canvas.width = width; canvas.height = height; }
    ink.clearRect(0, 0, width, height);
    if (!lastPoints) return;
    // shown as a mirror: x flipped, so the person's left is on the viewer's left
    const at = (i) => lastPoints[i] && [(1 - lastPoints[i][0]) * width, lastPoints[i][1] * height];
    ink.lineWidth = Math.max(2, width / 200);
    ink.strokeStyle = "rgba(255,255,255,0.8)";
    for (const [a, b] of SEGMENTS) {
      const p = at(a), q = at(b);
      if (!p || !q) continue;
      ink.beginPath(); ink.moveTo(p[0], p[1]); ink.lineTo(q[0], q[1]); ink.stroke();
    }
    const side = choice("side");
    const leg = side === "left" ? LEFT : RIGHT;
    const keyLine = (points, bad) => {
      const ps = points.map(at);
      if (ps.some((p) => !p)) return;
      ink.strokeStyle = bad ? "#ff3b3b" : "#39d98a";
      ink.lineWidth = Math.max(4, width / 120);
      ink.beginPath(); ink.moveTo(ps[0][0], ps[0][1]);
      for (const p of ps.slice(1)) ink.lineTo(p[0], p[1]);
      ink.stroke();
    };
    keyLine([leg.hip, leg.knee, leg.ankle], lastPassed.fppa_deg);
    keyLine([23, 24], lastPassed.pelvic_drop_deg);
    const mid = (a, b) => lastPoints[a] && lastPoints[b] &&
      [(lastPoints[a][0] + lastPoints[b][0]) / 2, (lastPoints[a][1] + lastPoints[b][1]) / 2];
    const hips = mid(23, 24), shoulders = mid(11, 12);
    if (hips && shoulders) {
      const saved = lastPoints;
      lastPoints = [hips, shoulders];
      keyLine([0, 1], lastPassed.trunk_lean_deg);
      lastPoints = saved;
    }
    ink.font = `bold ${Math.max(14, width / 25)}px sans-serif`;
    ink.fillStyle = "#ffd23f";
    for (const [label, index] of [["L", 25], ["R", 26], ["L", 23], ["R", 24]]) {
      const p = at(index);
      if (p) ink.fillText(label, p[0] + width / 60, p[1]);
    }
  }

  function show(update) {
    lastPoints = update.points && update.points.length ? update.points : null;
    lastPassed = update.passed || {};
    for (const cell of root.querySelectorAll("[data-metric][data-side]")) {
      const value = update.values[cell.dataset.metric][cell.dataset.side];
      cell.textContent = value === null ? "–" : value.toFixed(1);
      const mine = cell.dataset.side === choice("side");
      cell.classList.toggle("passed", mine && !!lastPassed[cell.dataset.metric]);
      cell.classList.toggle("good", mine && value !== null && !lastPassed[cell.dataset.metric]);
    }
    $("[data-rep-count]").textContent = String(update.count);
    cueLine.textContent = update.cues.length ? update.cues.join(" · ") : (update.tracked ? "Good" : "");
    cueLine.className = "mirror-cue " + (update.cues.length ? "passed" : (update.tracked ? "good" : ""));
    messages.replaceChildren(...update.messages.map((text) => {
      const item = document.createElement("li"); item.textContent = text; return item;
    }));
    draw();
  }

  function summary(message) {
    const rows = $("[data-summary-rows]");
    rows.replaceChildren(...message.rows.map((row) => {
      const tr = document.createElement("tr");
      for (const text of [row.label, row.side, row.value, row.verdict]) {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      }
      return tr;
    }));
    $("[data-summary-warnings]").replaceChildren(...message.warnings.map((text) => {
      const item = document.createElement("li"); item.textContent = text; return item;
    }));
    const link = $("[data-saved-analysis]");
    link.href = message.url;
    link.dataset.analysisId = String(message.analysis);
    $("[data-summary]").hidden = false;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onopen = () => {
      reconnectDelay = 500;
      socket.send(JSON.stringify({ type: "start", task: choice("task"), side: choice("side"),
        model, take: takeId }));
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "started") {
        takeId = message.take; started = true; inFlight = 0;
        $("[data-rep-count]").textContent = String(message.count);
        say(message.resumed ? "Reconnected: the take carries on." : "Measuring. Press Stop and save when done.");
      } else if (message.type === "update") {
        inFlight = Math.max(0, inFlight - 1); show(message);
        root.dataset.framesReceived = String(message.frame); // frames in this take so far
      } else if (message.type === "saved") {
        summary(message); say("Saved to the record."); finish();
      } else if (message.type === "discarded") {
        say("Take thrown away."); finish();
      } else if (message.type === "error") {
        inFlight = Math.max(0, inFlight - 1);
        say(message.message);
        if (message.retry) { started = true; stopButton.disabled = false; }
        if (message.message.startsWith("this live take has ended")) { takeId = null; finish(); }
      }
    };
    socket.onclose = () => {
      started = false;
      if (!running) return;
      say("Connection lost: reconnecting…");
      setTimeout(() => { if (running) connect(); }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 8000);
    };
  }

  function send(results) {
    if (!socket || socket.readyState !== WebSocket.OPEN || !started || inFlight >= MAX_IN_FLIGHT) return;
    const marks = results.poseLandmarks;
    const world = results.poseWorldLandmarks;
    socket.send(JSON.stringify({
      type: "frame", t: pickedAt, w: video.videoWidth, h: video.videoHeight,
      landmarks: marks ? marks.map((p) => [p.x, p.y, p.z, p.visibility ?? 0]) : null,
      world: world ? world.map((p) => [p.x, p.y, p.z]) : null,
      brightness: brightness(),
      tilt: tilt === null ? null : Math.round(Math.min(90, tilt) * 10) / 10,
    }));
    inFlight += 1;
  }

  async function makePose(complexity) {
    const created = new Pose({ locateFile: (file) => RUNTIME + file });
    created.setOptions({ modelComplexity: complexity, smoothLandmarks: false,
      enableSegmentation: false, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
    await created.initialize();
    return created;
  }

  async function chooseModel() {
    const wanted = choice("model");
    if (wanted !== "auto") return { chosen: wanted, why: "" };
    say("Checking what this device manages…");
    let done = 0;
    const trial = await makePose(1);
    trial.onResults(() => { done += 1; });
    const begun = performance.now();
    while (done < TRIAL_FRAMES) await trial.send({ image: video });
    const rate = done / ((performance.now() - begun) / 1000);
    await trial.close();
    const chosen = rate >= FULL_MIN_FPS ? "full" : "lite";
    const verdict = chosen === "full" ? "at least" : "below";
    return { chosen, why: ` (full ran at ${rate.toFixed(1)} frames/s here: ${verdict} ${FULL_MIN_FPS})` };
  }

  function watchFrames() {
    if (!FRAME_CALLBACKS || !stream) return;
    video.requestVideoFrameCallback(() => {
      freshFrame = true;
      if (frameWaiter) { frameWaiter(); frameWaiter = null; }
      watchFrames();
    });
  }

  function newFrame() {
    if (freshFrame || !FRAME_CALLBACKS) return Promise.resolve();
    return new Promise((resolve) => { frameWaiter = resolve; });
  }

  async function loop() {
    freshFrame = true;
    watchFrames();
    while (running && pose) {
      await newFrame();
      if (!running || !pose) break;
      freshFrame = false;
      pickedAt = performance.now();
      await pose.send({ image: video });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  async function start() {
    startButton.disabled = true;
    watchTilt(); // at once: iOS's permission question needs the click
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 720 }, height: { ideal: 1280 } }, audio: false });
    } catch (error) {
      say(`The camera could not be opened (${error.name}): allow the camera for this site, and use https or localhost.`);
      window.removeEventListener("devicemotion", onMotion);
      startButton.disabled = false;
      return;
    }
    video.srcObject = stream;
    await video.play();
    const choosing = await chooseModel();
    model = choosing.chosen;
    $("[data-model-used]").textContent = model;
    $("[data-model-reason]").textContent = choosing.why;
    $("[data-count-noun]").textContent = choice("task") === "single-leg-stance" ? "Holds" : "Reps";
    pose = await makePose(model === "full" ? 1 : 0);
    pose.onResults((results) => {
      const rate = frameRate();
      $("[data-fps]").textContent = rate === null ? "– frames/s" : `${rate.toFixed(1)} frames/s`;
      send(results);
    });
    running = true; takeId = null;
    $("[data-summary]").hidden = true;
    for (const name of ["task", "side", "model"]) root.querySelector(`select[name=${name}]`).disabled = true;
    stopButton.disabled = false;
    connect();
    loop();
  }

  function finish() {
    running = false; started = false;
    window.removeEventListener("devicemotion", onMotion);
    tilt = null; gravity = null;
    if (frameWaiter) { frameWaiter(); frameWaiter = null; }
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    if (pose) pose.close();
    pose = null;
    if (socket && socket.readyState === WebSocket.OPEN) socket.close();
    startButton.disabled = false; stopButton.disabled = true;
    for (const name of ["task", "side", "model"]) root.querySelector(`select[name=${name}]`).disabled = false;
  }

  function stop() {
    stopButton.disabled = true;
    if (socket && socket.readyState === WebSocket.OPEN && started) {
      say("Saving…");
      started = false; // no frame after the stop
      socket.send(JSON.stringify({ type: "stop", save: true }));
    } else {
      say("Not connected: the take could not be saved. Press Start again.");
      finish();
    }
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  // A closed page: the camera and the socket go; the server frees the take after its grace.
  window.addEventListener("pagehide", () => { running = false; if (socket) socket.close(); });
})();
