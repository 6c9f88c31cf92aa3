// The exports of the OF's formations page, wired: *Exporter* opens the format dialog (Excel or LHEO 2.3),
// which sends POST /exports with the ticked formations (or none: all of the space's); the bell lists the
// user's files (GET /exports), asking again every POLL_MS while one is queued or running, and announces the
// ones that finish; *Télécharger* asks GET /exports/{id} for a short-lived link, then follows it (the file
// comes as an attachment: the page stays).

import { api } from "./api.js";
import { modal } from "./dialogue.js";
import { h, fill } from "./dom.js";
import {
  bellFrom,
  emptyBell,
  exportRequest,
  finishedSince,
  markDownloaded,
  POLL_MS,
  scopeText,
  shouldPoll,
} from "./exports-etat.js";
import { exportTools, formatDialog, showBadge, showBell } from "./exports-vues.js";
import { announce, showError } from "./shell.js";

/**
 * @param {{siret: () => string|null, selection: () => string[]}} source the space's SIRET and the ticked formations
 * @returns {{element: HTMLElement, refresh: () => Promise<void>}}
 */
export function exportsArea({ siret, selection }) {
  let bell = emptyBell();
  let timer = null;
  let busy = false;
  let loading = null;

  const tools = exportTools({ onExport: openDialog, onBell: toggleBell });
  const chooser = formatDialog();
  const control = modal(chooser.dialog, { busy: () => busy });

  function render() {
    showBadge(tools, bell);
    if (!tools.panel.hidden) showBell(tools, bell, { onDownload: download, onClose: closeBell });
  }

  // ---------------------------------------------------------------- the bell
  function schedule() {
    window.clearTimeout(timer);
    timer = shouldPoll(bell) ? window.setTimeout(refresh, POLL_MS) : null;
  }

  async function refresh() {
    if (loading) return loading;
    loading = (async () => {
      try {
        const next = bellFrom(await api("/exports"));
        const finished = bell.loaded ? finishedSince(bell, next) : [];
        bell = next;
        render();
        for (const f of finished) announce(f.message);
      } catch (error) {
        if (!error.redirecting && !tools.panel.hidden) showError(error, { retry: true });
      } finally {
        loading = null;
        schedule();
      }
    })();
    return loading;
  }

  function openBell({ focus = true } = {}) {
    tools.panel.hidden = false;
    tools.bellButton.setAttribute("aria-expanded", "true");
    render();
    if (focus) document.getElementById("titre-exports")?.focus();
  }

  function closeBell() {
    tools.panel.hidden = true;
    tools.bellButton.setAttribute("aria-expanded", "false");
    tools.bellButton.focus();
  }

  function toggleBell() {
    if (tools.panel.hidden) {
      openBell();
      refresh();
    } else closeBell();
  }

  async function download(file) {
    try {
      const view = await api(`/exports/${encodeURIComponent(file.id)}`);
      if (!view?.url) {
        announce(view?.message || "Ce fichier n'est pas encore prêt.");
        return;
      }
      bell = markDownloaded(bell, file.id);
      render();
      announce(`Téléchargement de ${file.filename}.`);
      window.location.assign(view.url);
    } catch (error) {
      if (!error.redirecting) showError(error);
    }
  }

  // ---------------------------------------------------------------- the dialog
  function openDialog() {
    chooser.errorZone.replaceChildren();
    chooser.setScope(scopeText(selection()));
    control.open(tools.exportButton, chooser.first);
  }

  chooser.cancel.addEventListener("click", () => control.close());
  chooser.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const space = siret();
    if (busy || !space) return;
    busy = true;
    chooser.setBusy(true);
    chooser.errorZone.replaceChildren();
    try {
      const created = await api("/exports", { method: "POST", body: exportRequest(space, chooser.format(), selection()) });
      busy = false;
      chooser.setBusy(false);
      control.close(tools.bellButton);
      openBell({ focus: false });
      announce(created?.message || "Export demandé : retrouvez le fichier dans « Mes exports ».");
      await refresh();
    } catch (error) {
      busy = false;
      chooser.setBusy(false);
      if (error.redirecting) return;
      fill(chooser.errorZone, h("p", { class: "alerte alerte--erreur" }, error.message));
      chooser.errorZone.focus();
    }
  });

  refresh();
  return { element: tools.element, refresh };
}
