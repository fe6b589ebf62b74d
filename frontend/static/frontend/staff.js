// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // The direct booking form: hide the renter's fields while "the house's own booking"
  // is ticked (they are ignored then anyway).
  function renterToggle(form) {
    var box = form.querySelector("input[name=for_house]");
    var fields = form.querySelector(".renter-fields");
    if (!box || !fields) return;
    function update() { fields.hidden = box.checked; }
    box.addEventListener("change", update);
    update();
  }

  // The once-shown feed address: select it on focus so that it is easy to copy.
  function selectOnFocus(input) {
    input.addEventListener("focus", function () { input.select(); });
  }

  document.querySelectorAll("form[data-renter-toggle]").forEach(renterToggle);
  document.querySelectorAll("input.copyable").forEach(selectOnFocus);
})();
