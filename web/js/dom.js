// Building DOM without innerHTML: text from the API is always inserted as text.

/**
 * h("p", {class: "x", "aria-live": "polite"}, "texte", otherNode)
 * Attributes: `class`, `text`, `on<event>` (a function), booleans (true: present, false/null: absent).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "text") {
      element.textContent = String(value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** "81432712100012" → "814 327 121 00012" (SIREN in groups of three, then the NIC). */
export function formatSiret(siret) {
  const digits = String(siret || "").replace(/\s+/g, "");
  if (!/^\d{14}$/.test(digits)) return String(siret || "");
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6, 9)} ${digits.slice(9)}`;
}

/**
 * A table in a box that scrolls sideways on small screens instead of widening the page: a region
 * named by the table's caption (`labelId`), reachable with the keyboard to scroll it.
 */
export function scrollingTable(labelId, table) {
  return [
    h("p", { class: "aide-defilement" }, "Faites défiler le tableau horizontalement pour voir toutes ses colonnes."),
    h("div", { class: "tableau-defilant", role: "region", "aria-labelledby": labelId, tabindex: "0" }, table),
  ];
}
