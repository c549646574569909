// Dark mode before first paint (the choice is a preference, never a token).
try {
  var t = localStorage.getItem("kairos-theme");
  if (t === "dark" || (!t && matchMedia("(prefers-color-scheme: dark)").matches))
    document.documentElement.classList.add("dark");
} catch (e) {}
