// Modal dialogs on <dialog>: showModal() makes the rest of the page inert; the focus also cycles
// inside the dialog with Tab / Shift+Tab, Escape closes it (unless it is busy), and the focus goes
// back to the button that opened it (or wherever the page says, when that button has gone).

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type=hidden])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  '[tabindex]:not([tabindex="-1"])',
].join(",");

/**
 * @param {HTMLDialogElement} dialog
 * @param {{busy?: () => boolean}} options busy: while true, Escape does not close the dialog
 * @returns {{open: (opener: HTMLElement, first?: HTMLElement) => void, close: (focusInstead?: HTMLElement) => void}}
 */
export function modal(dialog, { busy = () => false } = {}) {
  let returnTo = null;

  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  });

  dialog.addEventListener("cancel", (event) => {
    if (busy()) event.preventDefault();
  });

  dialog.addEventListener("close", () => {
    const target = returnTo;
    returnTo = null;
    if (target && target.isConnected) target.focus();
  });

  return {
    open(opener, first) {
      returnTo = opener;
      dialog.showModal();
      (first || dialog.querySelector(FOCUSABLE))?.focus();
    },
    close(focusInstead) {
      if (focusInstead) returnTo = focusInstead;
      if (dialog.open) dialog.close();
    },
  };
}
