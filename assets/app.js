// Behaviour of the pages, kept out of the HTML so that the content security
// policy allows no inline script. Every page works without it; this adds
// live status updates, confirmations and the camera at the scan station.
"use strict";

// Live claim status: fetch the claim's live part every few seconds and swap
// it in when the claim changed. The live part holds the panels people act
// in, so what someone was typing there, which options they chose and which
// field had the focus are carried over into the new content.
function liveClaim() {
  const live = document.getElementById("live");
  if (!live) return;
  let version = live.dataset.version;
  setInterval(async () => {
    try {
      const res = await fetch(live.dataset.live, { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) return;
      const v = res.headers.get("Claim-Version");
      if (v && v !== version) {
        version = v;
        const html = await res.text();
        const kept = keepFields(live);
        live.innerHTML = html;
        kept();
        live.setAttribute("aria-live", "polite");
      }
    } catch (e) { /* offline for a moment: try again next tick */ }
  }, 3000);
}

// keepFields remembers the values of the fields inside root and returns a
// function that puts them back into the fields of the same id (radio
// buttons and check boxes by name and value) after root's content changed.
function keepFields(root) {
  const values = [];
  root.querySelectorAll("input, textarea, select").forEach((el) => {
    if (el.type === "hidden" || el.type === "submit" || el.type === "file") return;
    if (el.type === "radio" || el.type === "checkbox") {
      if (el.checked) values.push({ check: true, name: el.name, value: el.value });
    } else if (el.id && el.value !== "") {
      values.push({ id: el.id, value: el.value });
    }
  });
  const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
  return () => {
    values.forEach((f) => {
      if (f.check) {
        root.querySelectorAll("input[name='" + CSS.escape(f.name) + "']").forEach((el) => {
          if (el.value === f.value) el.checked = true;
        });
        return;
      }
      const el = document.getElementById(f.id);
      if (el && root.contains(el) && el.value === "") el.value = f.value;
    });
    const el = focused && document.getElementById(focused);
    if (el) el.focus();
  };
}

// Forms with data-confirm ask before they go. Listening on the document
// also covers forms the live update brings in.
function confirmations() {
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) ev.preventDefault();
  });
}

// Saved replies: choosing one puts its text into the form's field (the
// server does the same for a form sent without script).
function savedReplies() {
  document.addEventListener("change", (ev) => {
    const select = ev.target;
    if (!select.classList || !select.classList.contains("reply-picker")) return;
    const option = select.options[select.selectedIndex];
    const field = document.getElementById(select.dataset.target);
    if (field && option && option.dataset.body) {
      field.value = option.dataset.body;
      field.focus();
    }
  });
}

// Scan station. A USB or Bluetooth scanner types the code and presses
// Enter wherever the focus is, so keys typed outside a text field go to the
// code field, and every click that does not land in a text field gives the
// focus back to it. The camera says in words why it cannot start, and comes
// first on phones. A repeated scan sounds and shows apart.
function scanStation() {
  const input = document.getElementById("code");
  const form = document.getElementById("scan-form");
  if (!input || !form) return;
  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
    (el.tagName === "INPUT" && el.type !== "button" && el.type !== "submit" && el.type !== "hidden"));
  input.focus();
  document.addEventListener("click", (ev) => {
    if (!typing(ev.target) && !(ev.target.closest && ev.target.closest("a, label"))) setTimeout(() => input.focus(), 0);
  });
  document.addEventListener("keydown", (ev) => {
    if (typing(document.activeElement) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key.length === 1 && ev.key !== " ") {
      // Focus moved during keydown: the browser types the key into the field.
      input.focus();
    } else if (ev.key === "Enter" && input.value.trim() !== "") {
      ev.preventDefault();
      form.requestSubmit();
    }
  }, true);
  const result = document.getElementById("scan-result");
  if (result) beep(result.dataset.result);
  const button = document.getElementById("camera-button");
  const video = document.getElementById("camera");
  const problem = document.getElementById("camera-error");
  button.hidden = false;
  if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
    button.classList.remove("secondary");
    button.parentNode.insertBefore(button, button.parentNode.firstChild);
    document.getElementById("receive-button").classList.add("secondary");
  }
  const say = (key) => { problem.textContent = button.dataset[key]; problem.hidden = false; };
  button.addEventListener("click", async () => {
    problem.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("unavailable");
      return;
    }
    try {
      await startCamera(video, (text) => {
        input.value = text;
        form.requestSubmit();
      });
    } catch (e) {
      video.hidden = true;
      const name = e && e.name;
      say(name === "NotAllowedError" || name === "SecurityError" ? "denied" :
        name === "NotFoundError" || name === "OverconstrainedError" ? "none" :
        name === "NotReadableError" || name === "AbortError" ? "busy" : "failed");
    }
  });
}

function beep(result) {
  const ok = result !== "bad";
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = result === "repeat" ? 523 : ok ? 880 : 220;
    osc.type = ok ? "sine" : "square";
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + (ok ? 0.15 : 0.5));
  } catch (e) { /* no audio: the banner still shows */ }
}

// startCamera reads QR codes with the browser's BarcodeDetector where it
// exists, else with jsQR (loaded on demand from /assets/vendor/).
async function startCamera(video, found) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  let detect;
  if ("BarcodeDetector" in window) {
    const detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128"] });
    detect = async () => {
      const codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    };
  } else {
    await loadScript("/assets/vendor/jsqr.js");
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    detect = async () => {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(img.data, img.width, img.height);
      return code ? code.data : null;
    };
  }
  const tick = async () => {
    const text = video.videoWidth ? await detect() : null;
    if (text) {
      stream.getTracks().forEach((t) => t.stop());
      found(text);
      return;
    }
    requestAnimationFrame(tick);
  };
  tick();
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = reject;
    document.head.appendChild(s);
  });
}

// The menu on narrow screens: the links fold behind a button. Without
// script the links stay visible and wrap.
function menu() {
  const header = document.getElementById("site-header");
  const button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  document.documentElement.classList.add("js");
  button.addEventListener("click", () => {
    const open = header.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  menu();
  liveClaim();
  confirmations();
  savedReplies();
  scanStation();
});
