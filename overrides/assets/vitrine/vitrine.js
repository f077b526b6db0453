// Vitrine's small enhancements; every page works without them.
(() => {
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
