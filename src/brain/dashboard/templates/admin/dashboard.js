// The dashboard's only script: every page works without it. It shows times in the browser's
// time zone, counts characters against the limits as one types, and follows a running
// generation's progress over Server-Sent Events.
(function () {
  "use strict";

  function localTimes() {
    var lang = document.documentElement.lang || undefined;
    var format;
    try {
      format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) {
      return;
    }
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      el.title = el.textContent;
      el.textContent = format.format(when);
    });
  }

  function counters() {
    document.querySelectorAll("output.count[for]").forEach(function (out) {
      var input = document.getElementById(out.getAttribute("for"));
      if (!input) return;
      var min = parseInt(out.dataset.min || "0", 10);
      var max = parseInt(out.dataset.max || "0", 10);
      var template = out.dataset.template || "{n}";
      function update() {
        var n = input.value.length;
        out.textContent = template.replace("{n}", n).replace("{min}", min).replace("{max}", max);
        out.classList.toggle("out-of-range", (n > 0 && n < min) || (max > 0 && n > max));
      }
      input.addEventListener("input", update);
      update();
    });
  }

  function progress() {
    var box = document.querySelector("[data-progress-url]");
    if (!box || !window.EventSource) return;
    var bar = box.querySelector("progress");
    var started = box.querySelector('[data-field="status"]').textContent;
    var source = new EventSource(box.getAttribute("data-progress-url"));
    source.addEventListener("progress", function (message) {
      var data = JSON.parse(message.data);
      bar.value = data.percent;
      box.querySelector('[data-field="percent"]').textContent = data.percent;
      box.querySelector('[data-field="status"]').textContent = data.status;
      box.querySelector('[data-field="lessons"]').textContent = data.lessons;
      if (data.finished) {
        source.close();
        if (data.status !== started) window.location.reload();
      }
    });
  }

  function start() {
    localTimes();
    counters();
    progress();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
