(function () {
  document.querySelectorAll("[data-slider]").forEach(function (box) {
    var number = box.querySelector("input[type=number]");
    var range = box.querySelector("input[type=range]");
    var output = box.querySelector("output");
    var clear = box.querySelector("button");
    var label = document.querySelector("label[for='" + number.id + "']");
    function show() {
      var set = number.value !== "";
      output.textContent = set ? number.value : output.getAttribute("data-unset");
      range.classList.toggle("unset", !set);
      range.setAttribute("aria-valuetext", set ? number.value : output.getAttribute("data-unset"));
      clear.hidden = !set;
    }
    if (number.value !== "") { range.value = number.value; }
    range.addEventListener("input", function () { number.value = range.value; show(); });
    // A tap on the (hidden) thumb's own spot changes nothing, so no input event: set it.
    range.addEventListener("click", function () {
      if (number.value === "") { number.value = range.value; show(); }
    });
    clear.addEventListener("click", function () { number.value = ""; show(); range.focus(); });
    number.hidden = true;
    box.querySelector(".slider-js").hidden = false;
    if (label) { label.htmlFor = range.id; }
    show();
  });
})();
