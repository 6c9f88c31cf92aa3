// Certifications as the formation pages show and choose them: the search's address, dates, validity and
// the guide's *Vérification de la validité d'une certification* notice, and the list of the formation's
// certifications (at most 5, one principal). Pure (no DOM): tested by tests/web/formations.test.mjs.
//
// A certification comes in two shapes: a search hit (GET /certifications: successors as {code, title,
// active}) and a formation's summary (GET /formations/{ref}: successors as codes). Both have code, title,
// active, registration_end (ISO day or null) and url (its page on France Compétences).

export const MAX_CERTIFICATIONS = 5;
export const PAGE_SIZE = 10;
/** The end of registration is "near" this many days ahead: the notice is shown from then on. */
export const NEAR_DAYS = 183;

/** GET /certifications?q=…&page=…&page_size=… */
export function searchPath(q, page = 1, pageSize = PAGE_SIZE) {
  const params = new URLSearchParams();
  const text = String(q || "").trim();
  if (text) params.set("q", text);
  params.set("page", String(Math.max(1, Number(page) || 1)));
  params.set("page_size", String(pageSize));
  return `/certifications?${params.toString()}`;
}

export function pageCount(total, pageSize = PAGE_SIZE) {
  return Math.max(1, Math.ceil((Number(total) || 0) / pageSize));
}

/** "12 certifications trouvées", "1 certification trouvée", "Aucune certification trouvée". */
export function foundText(total) {
  const count = Number(total) || 0;
  if (!count) return "Aucune certification trouvée";
  return count > 1 ? `${count} certifications trouvées` : "1 certification trouvée";
}

/** A calendar day of the browser's clock, as the API writes days: "2026-11-27". */
export function isoDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "2028-12-31" → "31/12/2028"; "" when none. */
export function shortDate(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(day || ""));
  return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
}

function daysBetween(fromDay, toDay) {
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`);
  return Math.round((to - from) / 86_400_000);
}

/** The codes of the certifications that replace `certification`, whatever its shape. */
export function successorCodes(certification) {
  return (certification.successors || []).map((s) => (typeof s === "string" ? s : s.code)).filter(Boolean);
}

/** "RNCP40000 (Boulanger)", the title when the search gave it. */
export function successorText(certification) {
  return (certification.successors || [])
    .map((s) => (typeof s === "string" ? s : s.title ? `${s.code} (${s.title})` : s.code))
    .join(", ");
}

/** "Active" / "Inactive" / "Inconnue du référentiel". */
export function stateText(certification) {
  if (certification.known === false) return "Inconnue du référentiel";
  return certification.active ? "Active" : "Inactive";
}

/**
 * The guide's *Vérification de la validité d'une certification*, when it applies: an inactive certification,
 * or an end of registration past or within NEAR_DAYS of `today`. Null otherwise.
 * @returns {{ended: boolean, lines: string[]}|null}
 */
export function validityNotice(certification, today = isoDay()) {
  const end = certification.registration_end || null;
  const ended = certification.active === false || (end !== null && end < today);
  const near = end !== null && !ended && daysBetween(today, end) <= NEAR_DAYS;
  if (!ended && !near) return null;
  const lines = [];
  if (end) {
    lines.push(
      `La date de fin d'enregistrement de la certification ${certification.code} ${ended ? "était" : "est"} le ` +
        `${shortDate(end)}. Par conséquent, toute session commençant après cette date devra faire l'objet d'une ` +
        "création de formation avec le nouveau code (si celui-ci est renouvelé sur France Compétences).",
    );
  } else {
    lines.push(`La certification ${certification.code} n'est plus active sur France Compétences.`);
  }
  if (successorCodes(certification).length) {
    lines.push(
      `La certification qui la remplace : ${successorText(certification)}. Pour les sessions suivantes, créez une ` +
        "nouvelle formation avec ce code.",
    );
  } else if (certification.active === false) {
    lines.push(
      "Elle n'a pas été reconduite : votre formation sera totalement archivée dès la fin de sa dernière session.",
    );
  }
  return { ended, lines };
}

// ------------------------------------------------------------------ the formation's certifications
/** [{code, principal}] with exactly one principal (the first one when none is), the principal first. */
export function normalised(list) {
  const items = (list || []).map((c) => ({ code: c.code, principal: Boolean(c.principal) }));
  if (!items.length) return items;
  let principal = items.findIndex((c) => c.principal);
  if (principal < 0) principal = 0;
  return items.map((c, index) => ({ code: c.code, principal: index === principal }));
}

/**
 * Adds `code` to the chosen certifications.
 * @returns {{list: {code: string, principal: boolean}[], error: string|null}}
 */
export function addChoice(list, code) {
  const items = normalised(list);
  if (items.some((c) => c.code === code)) {
    return { list: items, error: `La certification ${code} est déjà choisie pour cette formation.` };
  }
  if (items.length >= MAX_CERTIFICATIONS) {
    return {
      list: items,
      error: `Une formation mène à ${MAX_CERTIFICATIONS} certifications au plus : retirez-en une avant d'en ajouter une autre.`,
    };
  }
  return { list: normalised([...items, { code, principal: false }]), error: null };
}

/** Without `code`; the first one left becomes the principal if it was. */
export function removeChoice(list, code) {
  return normalised((list || []).filter((c) => c.code !== code));
}

export function setPrincipal(list, code) {
  return normalised((list || []).map((c) => ({ code: c.code, principal: c.code === code })));
}

/** Why a certification of the search cannot be chosen for a formation (inactive), or null. */
export function choiceProblem(hit) {
  if (hit.active) return null;
  const replacing = successorText(hit);
  return (
    `La certification ${hit.code} n'est plus active : elle ne peut pas être choisie.` +
    (replacing ? ` Choisissez celle qui la remplace : ${replacing}.` : " Elle n'a pas été renouvelée par France Compétences.")
  );
}
