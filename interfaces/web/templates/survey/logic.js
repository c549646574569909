(function () {
  // The show-if rules of domain/esm/logic.py, evaluated the same way (tests/unit/test_esm_logic.py
  // runs both on the same cases). Answers are typed as the server types them.
  function holds(condition, answer) {
    if (answer === undefined || answer === null) { return false; }
    var chosen = Array.isArray(answer) ? answer : [answer];
    if ("equals" in condition) { return chosen.indexOf(condition.equals) !== -1; }
    if ("in" in condition) {
      return condition["in"].some(function (value) { return chosen.indexOf(value) !== -1; });
    }
    if (typeof answer !== "number") { return false; }
    if ("gt" in condition) { return answer > condition.gt; }
    return answer < condition.lt;
  }
  function visible(questions, answers) {
    var shown = {};
    var result = [];
    questions.forEach(function (question) {
      var condition = question.show_if;
      if (!condition || (shown[condition.question] && holds(condition, answers[condition.question]))) {
        shown[question.id] = true;
        result.push(question.id);
      }
    });
    return result;
  }
  if (typeof document === "undefined") { module.exports = { holds: holds, visible: visible }; return; }
  var form = document.querySelector("form[data-logic]");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-q]"));
  var questions = boxes.map(function (box) {
    var rule = box.getAttribute("data-show-if");
    return { id: box.getAttribute("data-q"), type: box.getAttribute("data-type"),
             show_if: rule ? JSON.parse(rule) : null };
  });
  function typed(question) {
    var fields = Array.prototype.slice.call(form.elements).filter(function (f) {
      return f.name === question.id && (f.type !== "radio" && f.type !== "checkbox" || f.checked);
    });
    var values = fields.map(function (f) { return f.value; }).filter(function (v) { return v !== ""; });
    if (question.type === "multi_choice") { return values.length ? values : undefined; }
    if (!values.length) { return undefined; }
    if (question.type === "likert" || question.type === "slider" || question.type === "number") {
      var number = Number(values[0].trim());
      return isFinite(number) ? number : undefined;
    }
    return values[0];
  }
  function update() {
    var answers = {};
    questions.forEach(function (q) { answers[q.id] = typed(q); });
    var shown = visible(questions, answers);
    boxes.forEach(function (box, i) {
      var hide = shown.indexOf(questions[i].id) === -1;
      box.hidden = hide;
      box.querySelectorAll("input, textarea").forEach(function (f) { f.disabled = hide; });
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.querySelectorAll(".show-if-hint").forEach(function (hint) { hint.hidden = true; });
  update();
})();
