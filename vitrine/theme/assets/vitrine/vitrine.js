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
    const watch = new IntersectionObserver((entries) => {
      for (const entry of entries) entry.isIntersecting ? seen.add(entry.target) : seen.delete(entry.target);
      bar.classList.toggle("vt-actionbar--away", seen.size > 0);
    }, { threshold: 1, rootMargin: "-64px 0px 0px 0px" });  // under the fixed header is out of view
    for (const action of document.querySelectorAll(".md-content [data-vt-action]")) {
      if (!bar.contains(action)) watch.observe(action);
    }
  }
  // Gallery: thumbnails scroll the track instead of jumping the page;
  // on wide screens a photo opens in a lightbox (a native <dialog>).
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
    for (const zoom of gallery.querySelectorAll("[data-vt-zoom]")) {
      zoom.addEventListener("click", (event) => {
        if (!window.matchMedia("(min-width: 60em)").matches || !window.HTMLDialogElement) return;
        event.preventDefault();
        const source = zoom.querySelector("img");
        const dialog = document.createElement("dialog");
        dialog.className = "vt-lightbox";
        const img = document.createElement("img");
        img.src = zoom.href;
        img.alt = source ? source.alt : "";
        const close = document.createElement("button");
        close.type = "button";
        close.textContent = "×";
        close.setAttribute("aria-label", gallery.dataset.vtClose || "×");
        close.addEventListener("click", () => dialog.close());
        dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
        dialog.addEventListener("close", () => dialog.remove());
        dialog.append(close, img);
        document.body.append(dialog);
        dialog.showModal();
      });
    }
  }
})();
