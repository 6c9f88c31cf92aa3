// The moderators' page of a structure: its sections but the contacts — Identité, Adresse, Organisation,
// Coordonnées (the OF's own, read-only here), Qualité, Habilitations — each read-only with *Corriger*.

import { h, formatSiret } from "./dom.js";
import { KINDS } from "./coordonnees.js";
import { entriesList, habilitationsPanel, qualityPanel } from "./ma-structure-vues.js";
import {
  QUALIOPI_CATEGORIES,
  addressChanges,
  habilitationsChanges,
  identityChanges,
  organisationChanges,
  qualiopiChanges,
} from "./moderation-corrections.js";
import { correctionForm, details, section, textField } from "./moderation-structure-champs.js";
import { addressText } from "./structure-textes.js";

function structureLink(ref) {
  return h(
    "span",
    {},
    h("a", { href: `/moderation/structure?siret=${encodeURIComponent(ref.siret)}` }, ref.name),
    " — SIRET ",
    h("span", { class: "insecable" }, formatSiret(ref.siret)),
  );
}

/** A section whose form is `makeForm(ctx)` → {fields, content?, changes(), done} when open. */
function rubric(ctx, { id, title, what, note, view, makeForm }) {
  return {
    id,
    build(open) {
      const parts = section({ id, title, what, note, form: Boolean(makeForm) });
      if (parts.button) parts.button.addEventListener("click", () => ctx.openForm(id));
      if (!open || !makeForm) {
        parts.body.append(...[view()].flat());
        return { element: parts.element };
      }
      parts.button.hidden = true;
      const spec = makeForm();
      const formParts = correctionForm({
        id: `correction-${id}`,
        what,
        fields: spec.fields,
        content: spec.content,
        title: ctx.title,
        onCancel: () => ctx.closeForm(),
        onSubmit: (errors) =>
          ctx.correct({ changes: spec.changes(), done: spec.done, sectionId: id, errors, setBusy: formParts.setBusy }),
      });
      parts.body.append(formParts.form);
      return { element: parts.element, formParts };
    },
  };
}

// ------------------------------------------------------------------ Identité
function identity(ctx) {
  return rubric(ctx, {
    id: "identite",
    title: "Identité",
    what: "l'identité",
    view: () => {
      const r = ctx.record();
      return details([
        ["SIRET", h("span", { class: "insecable" }, formatSiret(r.siret))],
        ["SIREN", r.siren],
        ["Raison sociale", r.name],
        ["Numéro de déclaration d'activité (NDA)", r.nda],
        ["Forme juridique", r.legal_form],
        ["Code NAF", r.naf],
      ]);
    },
    makeForm: () => {
      const r = ctx.record();
      const fields = {
        name: textField({ id: "identite-nom", label: "Raison sociale", value: r.name, maxlength: 200, required: true }),
        nda: textField({
          id: "identite-nda",
          label: "Numéro de déclaration d'activité (NDA)",
          value: r.nda,
          help: "11 chiffres ; vide si la structure n'en porte pas (une antenne).",
          inputmode: "numeric",
          maxlength: 20,
          width: "court",
        }),
        legal_form: textField({ id: "identite-forme", label: "Forme juridique", value: r.legal_form, maxlength: 100 }),
        naf: textField({ id: "identite-naf", label: "Code NAF", value: r.naf, help: "Par exemple : 8559A", maxlength: 10, width: "court" }),
      };
      const value = (name) => fields[name].input.value;
      return {
        fields,
        done: "Identité corrigée.",
        changes: () =>
          identityChanges(r, { name: value("name"), nda: value("nda"), legal_form: value("legal_form"), naf: value("naf") }),
      };
    },
  });
}

// ------------------------------------------------------------------ Adresse
function address(ctx) {
  return rubric(ctx, {
    id: "adresse",
    title: "Adresse postale",
    what: "l'adresse postale",
    view: () => {
      const a = ctx.record().address;
      if (!a) return h("p", { class: "vide" }, "Aucune adresse postale enregistrée.");
      return [
        h("p", { class: "visuellement-cache" }, addressText(a)),
        details([
          ["Adresse", a.line1],
          ["Complément d'adresse", a.line2],
          ["Code postal", a.postal_code],
          ["Ville", a.city],
        ]),
      ];
    },
    makeForm: () => {
      const a = ctx.record().address || {};
      const fields = {
        "address.line1": textField({ id: "adresse-ligne1", label: "Adresse", value: a.line1, maxlength: 120 }),
        "address.line2": textField({ id: "adresse-ligne2", label: "Complément d'adresse (facultatif)", value: a.line2, maxlength: 120 }),
        "address.postal_code": textField({
          id: "adresse-code-postal",
          label: "Code postal",
          value: a.postal_code,
          help: "5 chiffres.",
          inputmode: "numeric",
          maxlength: 5,
          width: "court",
        }),
        "address.city": textField({ id: "adresse-ville", label: "Ville", value: a.city, maxlength: 80 }),
      };
      const value = (name) => fields[`address.${name}`].input.value;
      return {
        fields,
        content: [
          h("p", { class: "formulaire__mention" }, "Videz tous les champs pour retirer l'adresse de la fiche."),
          Object.values(fields).map((f) => f.element),
        ],
        done: "Adresse postale corrigée.",
        changes: () =>
          addressChanges(ctx.record(), {
            line1: value("line1"),
            line2: value("line2"),
            postal_code: value("postal_code"),
            city: value("city"),
          }),
      };
    },
  });
}

// ------------------------------------------------------------------ Organisation
function organisation(ctx) {
  return rubric(ctx, {
    id: "organisation",
    title: "Organisation",
    what: "l'organisation",
    view: () => {
      const r = ctx.record();
      return details([
        ["Structure parente (siège)", r.parent ? structureLink(r.parent) : "Aucune : cette structure n'est rattachée à aucun siège."],
        ["Réseau d'appartenance", r.network],
        [
          "Structures rattachées",
          r.attached.length
            ? h("ul", { class: "fiche-structures" }, r.attached.map((ref) => h("li", {}, structureLink(ref))))
            : "Aucune structure rattachée.",
        ],
      ]);
    },
    makeForm: () => {
      const r = ctx.record();
      const fields = {
        parent_siret: textField({
          id: "organisation-parent",
          label: "SIRET de la structure parente (siège)",
          value: r.parent_siret ? formatSiret(r.parent_siret) : "",
          help: "14 chiffres ; vide pour détacher la structure de son siège.",
          inputmode: "numeric",
          maxlength: 20,
          width: "court",
        }),
        network: textField({ id: "organisation-reseau", label: "Réseau d'appartenance (facultatif)", value: r.network, maxlength: 100 }),
      };
      return {
        fields,
        done: "Organisation corrigée.",
        changes: () =>
          organisationChanges(r, { parent_siret: fields.parent_siret.input.value, network: fields.network.input.value }),
      };
    },
  });
}

// ------------------------------------------------------------------ Coordonnées (the OF's own)
function coordinates(ctx) {
  return rubric(ctx, {
    id: "coordonnees",
    title: "Coordonnées de l'organisme",
    what: "les coordonnées",
    note: h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Adresses e-mail, téléphones et sites internet : l'organisme les modifie lui-même et vous les soumet (file de modération).",
    ),
    view: () =>
      Object.entries(KINDS).map(([kindName, kind]) => [
        h("h3", { class: "fiche-rubrique__titre" }, kind.title),
        entriesList(kindName, ctx.record()[kindName] || []),
      ]),
  });
}

// ------------------------------------------------------------------ Qualité
function quality(ctx) {
  return rubric(ctx, {
    id: "qualite",
    title: "Qualité",
    what: "la certification Qualiopi",
    note: h(
      "p",
      { class: "fiche-rubrique__aide" },
      "Les catégories Qualiopi viennent de la liste publique des organismes de formation une fois importée : " +
        "une correction faite ici peut être remplacée par le prochain import.",
    ),
    view: () => qualityPanel(ctx.record()).slice(2),
    makeForm: () => {
      const label = (ctx.record().qualiopi || [])[0] || { categories: [], valid_until: null };
      const boxes = QUALIOPI_CATEGORIES.map((category, index) => {
        const input = h("input", { type: "checkbox", id: `qualite-categorie-${index}`, name: "categories", value: category });
        input.checked = (label.categories || []).includes(category);
        return { input, element: h("div", { class: "case" }, input, h("label", { for: input.id }, category)) };
      });
      const categoriesError = h("p", { class: "champ__erreur", id: "qualite-categories-erreur", hidden: true });
      const until = textField({
        id: "qualite-validite",
        label: "Valable jusqu'au (facultatif)",
        value: label.valid_until,
        type: "date",
        width: "court",
      });
      const fields = {
        "qualiopi.0.categories": { input: boxes[0].input, error: categoriesError, label: "Catégories d'actions" },
        "qualiopi.0.valid_until": until,
      };
      return {
        fields,
        content: [
          h(
            "fieldset",
            { class: "groupe" },
            h("legend", { class: "groupe__titre" }, "Catégories d'actions certifiées Qualiopi"),
            h("p", { class: "groupe__aide" }, "Aucune case cochée et pas de date : la structure n'a pas de certification Qualiopi."),
            categoriesError,
            boxes.map((b) => b.element),
          ),
          until.element,
        ],
        done: "Certification Qualiopi corrigée.",
        changes: () =>
          qualiopiChanges(ctx.record(), {
            categories: boxes.filter((b) => b.input.checked).map((b) => b.input.value),
            valid_until: until.input.value,
          }),
      };
    },
  });
}

// ------------------------------------------------------------------ Habilitations
function habilitations(ctx) {
  return rubric(ctx, {
    id: "habilitations",
    title: "Habilitations",
    what: "les habilitations",
    view: () => habilitationsPanel(ctx.record()).slice(2),
    makeForm: () => {
      const rows = (ctx.record().habilitations || []).map((item) => ({ ...item }));
      const list = h("div", { class: "lignes-habilitations" });
      const fields = {};
      const sync = () => {
        list.querySelectorAll("[data-ligne]").forEach((row, index) => {
          rows[index].code = row.querySelector("[data-code]").value;
          rows[index].title = row.querySelector("[data-titre]").value;
        });
      };
      const draw = (focusIndex = null) => {
        for (const key of Object.keys(fields)) delete fields[key];
        list.replaceChildren();
        if (!rows.length) list.append(h("p", { class: "vide" }, "Aucune habilitation."));
        rows.forEach((row, index) => {
          const code = textField({ id: `habilitation-${index}-code`, label: `Code de l'habilitation ${index + 1}`, value: row.code, maxlength: 20, width: "court", help: index === 0 ? "RNCP…, RS…" : null });
          const title = textField({ id: `habilitation-${index}-intitule`, label: `Intitulé de l'habilitation ${index + 1}`, value: row.title, maxlength: 300 });
          code.input.setAttribute("data-code", "");
          title.input.setAttribute("data-titre", "");
          fields[`habilitations.${index}.code`] = code;
          fields[`habilitations.${index}.title`] = title;
          list.append(
            h(
              "div",
              { class: "ligne-habilitation", "data-ligne": String(index) },
              code.element,
              title.element,
              h(
                "button",
                {
                  type: "button",
                  class: "bouton bouton--danger bouton--petit",
                  onclick: () => {
                    sync();
                    rows.splice(index, 1);
                    draw(Math.min(index, rows.length - 1));
                    (document.getElementById(`habilitation-${Math.min(index, rows.length - 1)}-code`) || add).focus();
                  },
                },
                "Retirer",
                h("span", { class: "visuellement-cache" }, ` l'habilitation ${index + 1}`),
              ),
            ),
          );
        });
        if (focusIndex !== null) document.getElementById(`habilitation-${focusIndex}-code`)?.focus();
      };
      const add = h(
        "button",
        {
          type: "button",
          class: "bouton bouton--secondaire",
          onclick: () => {
            sync();
            rows.push({ code: "", title: "" });
            draw(rows.length - 1);
          },
        },
        "Ajouter une habilitation",
      );
      draw();
      return {
        fields,
        content: [list, add],
        done: "Habilitations corrigées.",
        changes: () => {
          sync();
          return habilitationsChanges(ctx.record(), rows);
        },
      };
    },
  });
}

/** The sections of the record (the contacts apart), each {id, build(open)}. */
export function rubrics(ctx) {
  return [identity(ctx), address(ctx), organisation(ctx), coordinates(ctx), quality(ctx), habilitations(ctx)];
}
