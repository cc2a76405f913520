// Behaviour of the pages, kept out of the HTML so that the content security
// policy allows no inline script. Every page works without it; this adds
// live status updates, confirmations and the camera at the scan station.
"use strict";

// Live claim status: fetch the status-and-timeline fragment every few
// seconds and swap it in when the claim changed.
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
        live.innerHTML = await res.text();
        live.setAttribute("aria-live", "polite");
      }
    } catch (e) { /* offline for a moment: try again next tick */ }
  }, 3000);
}

// Forms with data-confirm ask before they go.
function confirmations() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (ev) => {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });
}

// Scan station: keep the field focused, sound the result, offer the camera.
function scanStation() {
  const input = document.getElementById("code");
  const form = document.getElementById("scan-form");
  if (!input || !form) return;
  const refocus = () => { if (document.activeElement === document.body) input.focus(); };
  input.focus();
  document.addEventListener("click", () => setTimeout(refocus, 0));
  const result = document.getElementById("scan-result");
  if (result) beep(result.dataset.result === "ok");
  const button = document.getElementById("camera-button");
  const video = document.getElementById("camera");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  button.hidden = false;
  button.addEventListener("click", () => startCamera(video, (text) => {
    input.value = text;
    form.submit();
  }));
}

function beep(ok) {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = ok ? 880 : 220;
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
  scanStation();
});
