// The models list's filters fold away on phones (a <details> closed by default, which
// works without JavaScript); on wider screens there is room, so show them open.
if (window.matchMedia("(min-width: 48rem)").matches) {
  for (const details of document.querySelectorAll("details.filters-toggle")) {
    details.open = true;
  }
}
