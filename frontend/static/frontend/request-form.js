// Progressive enhancement of the request form: live availability of the chosen time and
// a price estimate before sending. The form works without this script.
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form) return;
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  var live = document.getElementById("live-availability");
  var estimate = document.getElementById("estimate");
  var field = function (name) { return form.elements.namedItem(name); };
  var timer = null;
  var memberNote = document.getElementById("member-note");
  var summaryTime = document.getElementById("summary-time");

  function minutes(value) { return value * 60 * 1000; }

  function chosen() {
    var day = field("date").value, start = field("start_time").value, end = field("end_time").value;
    if (!day || !start || !end) return null;
    return { day: day, start: start, end: end };
  }

  // Times are compared as instants; the API answers with offsets (Helsinki time).
  function instant(day, clock) { return new Date(day + "T" + clock + ":00" + helsinkiOffset(day)); }
  var offsets = {};
  function helsinkiOffset(day) { return offsets[day] || "+02:00"; }

  function stateOf(answer, choice) {
    var from = instant(choice.day, choice.start).getTime() - minutes(Number(form.dataset.setup || 0));
    var to = instant(choice.day, choice.end).getTime() + minutes(Number(form.dataset.cleanup || 0));
    var inside = answer.open.some(function (o) {
      return new Date(o.start).getTime() <= instant(choice.day, choice.start).getTime() &&
        instant(choice.day, choice.end).getTime() <= new Date(o.end).getTime();
    });
    if (!inside) return "closed";
    var state = "free";
    answer.busy.forEach(function (b) {
      if (new Date(b.start).getTime() < to && from < new Date(b.end).getTime()) {
        if (b.status === "approved" || b.status === "closed") state = "taken";
        else if (state === "free") state = "requested";
      }
    });
    return state;
  }

  function checkAvailability(choice) {
    var url = form.dataset.availabilityUrl + "?start=" + choice.day + "&end=" + choice.day;
    live.textContent = form.dataset.textChecking;
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (!answer) { live.textContent = ""; return; }
        var first = (answer.open[0] || answer.busy[0] || {}).start || "";
        var match = /([+-]\d\d:\d\d)$/.exec(first);
        if (match) offsets[choice.day] = match[1];
        var state = stateOf(answer, choice);
        live.dataset.state = state;
        live.textContent = form.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)];
      })
      .catch(function () { live.textContent = ""; });
  }

  function checkPrice(choice) {
    var params = new URLSearchParams({
      date: choice.day, start_time: choice.start, end_time: choice.end,
      business_id: field("business_id").value, attendees: field("attendees").value || ""
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name.indexOf("extra_") === 0 && el.value) params.set(el.name, el.value);
    });
    return fetch(form.dataset.estimateUrl + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        estimate.textContent = answer.text || answer.error || "";
        if (memberNote) memberNote.hidden = !answer.member_note;
      })
      .catch(function () { estimate.textContent = ""; });
  }

  function update() {
    var choice = chosen();
    if (!choice) return;
    if (summaryTime) summaryTime.textContent = choice.day + " " + choice.start + "–" + choice.end;
    checkAvailability(choice);
    checkPrice(choice);
  }

  // An offered free time fills the fields in place, so what was typed elsewhere stays;
  // without this script the link opens the form with that time.
  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-fill-date]");
    if (!link) return;
    event.preventDefault();
    field("date").value = link.dataset.fillDate;
    field("start_time").value = link.dataset.fillStart;
    field("end_time").value = link.dataset.fillEnd;
    field("start_time").focus();
    update();
  });

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  });
  // An error clears as soon as its field is filled in: the inline text, the field's
  // flag and its line in the summary (the server checks everything again on sending).
  function filled(el) {
    if (el.type === "checkbox") return el.checked;
    return el.value.trim() !== "" && (!el.checkValidity || el.checkValidity());
  }
  function clearError(el) {
    if (!el.id || el.getAttribute("aria-invalid") !== "true" || !filled(el)) return;
    el.removeAttribute("aria-invalid");
    var inline = document.getElementById(el.id + "_error");
    if (inline) inline.remove();
    var wrapper = el.closest(".field-invalid");
    if (wrapper) wrapper.classList.remove("field-invalid");
    if (!summary) return;
    summary.querySelectorAll('a[data-field="' + el.id + '"]').forEach(function (a) {
      a.closest("li").remove();
    });
    if (!summary.querySelector("li")) summary.hidden = true;
  }
  form.addEventListener("input", function (event) { clearError(event.target); });
  form.addEventListener("change", function (event) { clearError(event.target); });

  // Contact details remembered on this device only, and only when the renter asks.
  var REMEMBERED = ["renter_kind", "organisation", "business_id", "contact_name", "email",
    "phone", "billing_address", "e_invoice_address", "e_invoice_operator"];
  var KEY = "heideken-renter";
  var box = document.getElementById("remember-box");
  var remember = document.getElementById("remember-me");
  function storage() { try { return window.localStorage; } catch (e) { return null; } }
  if (box && remember && storage()) {
    box.hidden = false;
    var saved = null;
    try { saved = JSON.parse(storage().getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (saved) {
      remember.checked = true;
      REMEMBERED.forEach(function (name) {
        var el = field(name);
        if (!el || saved[name] === undefined) return;
        if (el instanceof RadioNodeList) { el.value = saved[name]; return; }
        if (!el.value) el.value = saved[name];
      });
    }
    form.addEventListener("submit", function () {
      if (!remember.checked) { storage().removeItem(KEY); return; }
      var values = {};
      REMEMBERED.forEach(function (name) { var el = field(name); if (el) values[name] = el.value; });
      storage().setItem(KEY, JSON.stringify(values));
    });
    remember.addEventListener("change", function () {
      if (!remember.checked) storage().removeItem(KEY);
    });
  }

  update();
})();
