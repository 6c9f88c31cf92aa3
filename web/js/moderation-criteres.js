// The search of the region's structures (/moderation/recherche-structures): its criteria as the address keeps them
// (?q=…&ville=…&departement=…&qualiopi=oui|non&page=…), as the API reads them, and as a sentence.
// No DOM: tested with node --test.

/** The region's departments (Normandie), then "another one", typed. */
export const DEPARTMENTS = [
  { value: "14", label: "14 — Calvados" },
  { value: "27", label: "27 — Eure" },
  { value: "50", label: "50 — Manche" },
  { value: "61", label: "61 — Orne" },
  { value: "76", label: "76 — Seine-Maritime" },
];
export const OTHER = "autres";
export const PAGE_SIZE = 20;
const DEPARTMENT = /^(?:[0-9]{2,3}|2A|2B)$/;

/**
 * @typedef {{q: string, city: string, department: string, other: string, qualiopi: "" | "oui" | "non", page: number}} Criteria
 *   department: one of DEPARTMENTS, OTHER (then `other` holds the number typed) or "" (all)
 */

export function emptyCriteria() {
  return { q: "", city: "", department: "", other: "", qualiopi: "", page: 1 };
}

function clean(value) {
  return String(value || "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

/** The criteria of a query string ("?q=demo&departement=14"). */
export function criteriaFromQuery(search) {
  const params = new URLSearchParams(search || "");
  const criteria = emptyCriteria();
  criteria.q = clean(params.get("q"));
  criteria.city = clean(params.get("ville"));
  const department = clean(params.get("departement")).toUpperCase();
  if (DEPARTMENTS.some((d) => d.value === department)) criteria.department = department;
  else if (department) {
    criteria.department = OTHER;
    criteria.other = department;
  }
  const qualiopi = params.get("qualiopi");
  criteria.qualiopi = qualiopi === "oui" || qualiopi === "non" ? qualiopi : "";
  const page = Number.parseInt(params.get("page") || "1", 10);
  criteria.page = Number.isInteger(page) && page >= 1 && page <= 10000 ? page : 1;
  return criteria;
}

/** The department the API filters on ("" for all). */
export function departmentOf(criteria) {
  if (criteria.department === OTHER) return clean(criteria.other).toUpperCase();
  return criteria.department;
}

/** Why the department typed cannot be searched, or null. */
export function departmentProblem(criteria) {
  if (criteria.department !== OTHER) return null;
  const value = departmentOf(criteria);
  if (!value) return "Saisissez le numéro du département, par exemple 75 ou 972.";
  if (DEPARTMENT.test(value)) return null;
  return "Le département est un numéro à 2 ou 3 chiffres (2A ou 2B pour la Corse), par exemple 75 ou 972.";
}

/** The query string of the page's address ("" when nothing is asked). */
export function queryOf(criteria) {
  const params = new URLSearchParams();
  if (criteria.q) params.set("q", clean(criteria.q));
  if (criteria.city) params.set("ville", clean(criteria.city));
  const department = departmentOf(criteria);
  if (department) params.set("departement", department);
  if (criteria.qualiopi) params.set("qualiopi", criteria.qualiopi);
  if (criteria.page > 1) params.set("page", String(criteria.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** GET /moderation/structures?… for these criteria. */
export function apiPath(criteria, pageSize = PAGE_SIZE) {
  const params = new URLSearchParams();
  if (criteria.q) params.set("q", clean(criteria.q));
  if (criteria.city) params.set("city", clean(criteria.city));
  const department = departmentOf(criteria);
  if (department) params.set("department", department);
  if (criteria.qualiopi) params.set("qualiopi", criteria.qualiopi === "oui" ? "true" : "false");
  params.set("page", String(criteria.page || 1));
  params.set("page_size", String(pageSize));
  return `/moderation/structures?${params}`;
}

/** "nom ou numéro « demo », département 14, certifiées Qualiopi" ("" without criteria). */
export function describe(criteria) {
  const parts = [];
  if (criteria.q) parts.push(`nom ou numéro « ${clean(criteria.q)} »`);
  if (criteria.city) parts.push(`ville « ${clean(criteria.city)} »`);
  const department = departmentOf(criteria);
  if (department) parts.push(`département ${department}`);
  if (criteria.qualiopi === "oui") parts.push("certifiées Qualiopi");
  if (criteria.qualiopi === "non") parts.push("non certifiées Qualiopi");
  return parts.join(", ");
}

/** "0 structure", "1 structure", "42 structures". */
export function countText(total) {
  return `${total} ${total > 1 ? "structures" : "structure"}`;
}

/** The number of pages for `total` results (at least 1). */
export function pageCount(total, pageSize = PAGE_SIZE) {
  return Math.max(1, Math.ceil(total / pageSize));
}

