// Moderators: the guide's *Moteur de recherche des formations* across every structure of the region
// (/moderation/recherche-formations, GET /moderation/formations), with the structure of each line. The same
// criteria, blocks, sort, column filters and pages as an OF's *Formations* (recherche-page.js).

import { searchPage } from "./recherche-page.js";
import { isModerator, mountShell } from "./shell.js";

const area = document.getElementById("formations");

try {
  const { me } = await mountShell({ current: "formations-moderation" });
  if (isModerator(me)) {
    const search = searchPage({
      root: area,
      moderator: true,
      emptyText: "Aucune formation n'est encore enregistrée.",
      formLabel: "Rechercher des formations de toutes les structures",
    });
    await search.setScope({ moderator: true });
  } else {
    area.textContent = "Cette page est réservée au Carif-Oref. Vos formations sont dans « Formations » du menu.";
  }
} catch {
  // mountShell has shown the error in the alert region
}
