// Vitrine's small enhancements; every page works without them.
(() => {
  // Material's drawer and search toggles are checkboxes; without autocomplete="off"
  // (invalid on a checkbox: see base.html) a browser may restore them checked on Back.
  for (const id of ["__drawer", "__search"]) {
    const toggle = document.getElementById(id);
    if (toggle && toggle.checked) toggle.click();
  }
  // Copy buttons (IBAN): shown only where the Clipboard API exists.
  for (const button of document.querySelectorAll("[data-vt-copy]")) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(button.dataset.vtCopy);
      button.textContent = button.dataset.vtDone || "✓";
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
  // Tax calculator: the table works without JavaScript; this adds any amount.
  // Same rule as vitrine.donate.tax_cost: 75 % up to the ceiling ("aid"), 66 % above or otherwise.
  for (const form of document.querySelectorAll("[data-vt-tax]")) {
    const input = form.querySelector("input");
    const output = form.querySelector("output");
    const ceiling = Number(form.dataset.ceiling);
    const money = new Intl.NumberFormat(form.dataset.lang, { style: "currency", currency: "EUR" });
    const update = () => {
      const gift = Math.max(Number(input.value) || 0, 0);
      const favoured = form.dataset.scheme === "aid" ? Math.min(gift, ceiling) : 0;
      const reduction = favoured * 0.75 + (gift - favoured) * 0.66;
      const cost = Math.round((gift - reduction) * 100) / 100;
      output.textContent = form.dataset.template.replace("{gift}", money.format(gift)).replace("{cost}", money.format(cost));
    };
    form.hidden = false;
    form.addEventListener("submit", (event) => event.preventDefault());
    input.addEventListener("input", update);
    update();
  }
  // The phone's action bar steps aside while the page's own button is in view (one button on screen, not two).
  const bar = document.querySelector("[data-vt-bar]");
  if (bar && "IntersectionObserver" in window) {
    const seen = new Set();
    bar.classList.add("vt-actionbar--still");  // its first place is taken at once: no slide as the page opens
    const watch = new IntersectionObserver((entries) => {
      for (const entry of entries) entry.isIntersecting ? seen.add(entry.target) : seen.delete(entry.target);
      bar.classList.toggle("vt-actionbar--away", seen.size > 0);
      requestAnimationFrame(() => bar.classList.remove("vt-actionbar--still"));
    }, { threshold: 1, rootMargin: "-64px 0px 0px 0px" });  // under the fixed header is out of view
    for (const action of document.querySelectorAll(".md-content [data-vt-action]")) {
      if (!bar.contains(action)) watch.observe(action);
    }
  }
  // Gallery: thumbnails scroll the track instead of jumping the page.
  for (const gallery of document.querySelectorAll("[data-vt-gallery]")) {
    const track = gallery.querySelector(".vt-gallery__track");
    for (const thumb of gallery.querySelectorAll(".vt-gallery__thumbs a")) {
      thumb.addEventListener("click", (event) => {
        const slide = document.getElementById(thumb.hash.slice(1));
        if (!slide) return;
        event.preventDefault();
        track.scrollTo({ left: slide.offsetLeft - track.offsetLeft, behavior: "smooth" });
      });
    }
    if (window.HTMLDialogElement) viewer(gallery);
  }
})();

// Photo viewer: a photo's link (to its large JPEG) opens it in a native <dialog> on the page instead,
// with the product's other photos a key, a button or a swipe away. Back closes it: opening pushes a
// history entry, so the browser's Back button stays on the page.
function viewer(gallery) {
  const links = [...gallery.querySelectorAll("[data-vt-zoom]")];
  if (!links.length) return;
  const make = (tag, cls, text) => Object.assign(document.createElement(tag), { className: cls, textContent: text || "" });
  const dialog = make("dialog", "vt-viewer");
  const img = make("img", "vt-viewer__img");
  const caption = make("figcaption", "vt-viewer__caption");
  const figure = make("figure", "vt-viewer__figure");
  figure.append(img, caption);
  const button = (cls, text, label, step) => {
    const b = make("button", cls, text);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => (step ? show(index + step) : dialog.close()));
    return b;
  };
  const rtl = getComputedStyle(gallery).direction === "rtl";
  const prev = button("vt-viewer__prev", rtl ? "›" : "‹", gallery.dataset.vtPrev, -1);
  const next = button("vt-viewer__next", rtl ? "‹" : "›", gallery.dataset.vtNext, 1);
  const close = button("vt-viewer__close", "×", gallery.dataset.vtClose);
  dialog.setAttribute("aria-label", gallery.querySelector(".vt-gallery__track").getAttribute("aria-label") || "");
  dialog.append(figure, ...(links.length > 1 ? [prev, next] : []), close); // in the page from its first use
  let index = 0;
  let opener = null;
  const show = (i) => {
    index = (i + links.length) % links.length;
    const link = links[index];
    const alt = (link.querySelector("img") || {}).alt || "";
    img.src = link.href;
    img.alt = alt;
    caption.textContent = [alt, link.dataset.vtCredit && "© " + link.dataset.vtCredit,
      links.length > 1 && `${index + 1} / ${links.length}`].filter(Boolean).join(" · ");
  };
  links.forEach((link, i) => link.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return; // a new tab: the JPEG itself
    event.preventDefault();
    opener = link;
    if (!dialog.isConnected) document.body.append(dialog);
    show(i);
    dialog.showModal();
    close.focus();
    history.pushState({ vtViewer: true }, "");
  }));
  dialog.addEventListener("keydown", (event) => {
    const step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (step && links.length > 1) show(index + (rtl ? -step : step));
  });
  let startX = null;
  dialog.addEventListener("touchstart", (event) => { startX = event.touches[0].clientX; }, { passive: true });
  dialog.addEventListener("touchend", (event) => {
    const dx = event.changedTouches[0].clientX - startX;
    if (startX !== null && Math.abs(dx) > 40 && links.length > 1) show(index + ((dx < 0) !== rtl ? 1 : -1));
    startX = null;
  });
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => {
    if (history.state && history.state.vtViewer) history.back(); // closed by Esc or a button: drop our entry
    if (opener) opener.focus();
  });
  window.addEventListener("popstate", () => { if (dialog.open) dialog.close(); });
}
