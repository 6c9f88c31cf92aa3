// The tabs of *Ma structure* (WAI-ARIA tabs pattern, automatic activation): ←/→ move between tabs and
// show them, Début/Fin go to the first/last one, Tab goes into the panel. The tab shown is kept in the
// URL hash (#coordonnees…) without scrolling, so that a reload or a shared link opens the same tab.

import { h } from "./dom.js";

/**
 * @param {{id: string, label: string}[]} tabs id: the hash name (also used in element ids)
 * @param {{label: string, onSelect?: (id: string) => void}} options
 */
export class Tabs {
  constructor(tabs, { label, onSelect } = {}) {
    this.tabs = tabs;
    this.onSelect = onSelect;
    this.buttons = new Map();
    this.panels = new Map();
    this.selected = null;
    const list = h("div", { role: "tablist", class: "fiche-onglets__liste", "aria-label": label });
    for (const { id, label: text } of tabs) {
      const button = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: `onglet-${id}`,
          class: "fiche-onglets__onglet",
          "aria-controls": `panneau-${id}`,
          "aria-selected": "false",
          tabindex: "-1",
        },
        text,
      );
      button.addEventListener("click", () => this.select(id));
      button.addEventListener("keydown", (event) => this.keydown(event, id));
      list.append(button);
      this.buttons.set(id, button);
      this.panels.set(
        id,
        h("div", {
          role: "tabpanel",
          id: `panneau-${id}`,
          class: "fiche-onglets__panneau",
          "aria-labelledby": `onglet-${id}`,
          tabindex: "0",
          hidden: true,
        }),
      );
    }
    this.element = h("div", { class: "fiche-onglets" }, list, [...this.panels.values()]);
  }

  /** The tab named by the URL hash, when there is one. */
  static fromHash(tabs) {
    const name = decodeURIComponent(window.location.hash.slice(1));
    return tabs.some((t) => t.id === name) ? name : null;
  }

  has(id) {
    return this.buttons.has(id);
  }

  panel(id) {
    return this.panels.get(id);
  }

  /** Shows the tab `id`; `focus`: moves the keyboard focus to the tab itself. */
  select(id, { focus = false, updateUrl = true } = {}) {
    if (!this.has(id)) return;
    const changed = this.selected !== id;
    this.selected = id;
    for (const [name, button] of this.buttons) {
      const on = name === id;
      button.setAttribute("aria-selected", on ? "true" : "false");
      button.tabIndex = on ? 0 : -1;
      this.panels.get(name).hidden = !on;
    }
    if (focus) this.buttons.get(id).focus();
    if (updateUrl && window.location.hash !== `#${id}`) {
      const { pathname, search } = window.location;
      window.history.replaceState(window.history.state, "", `${pathname}${search}#${id}`);
    }
    if (changed) this.onSelect?.(id);
  }

  keydown(event, id) {
    const ids = this.tabs.map((t) => t.id);
    const index = ids.indexOf(id);
    let next = null;
    if (event.key === "ArrowRight") next = ids[(index + 1) % ids.length];
    else if (event.key === "ArrowLeft") next = ids[(index - 1 + ids.length) % ids.length];
    else if (event.key === "Home") next = ids[0];
    else if (event.key === "End") next = ids[ids.length - 1];
    if (next === null) return;
    event.preventDefault();
    this.select(next, { focus: true });
  }
}
