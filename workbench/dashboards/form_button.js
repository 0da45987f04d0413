// A form's button (workbench.dashboards.form_button.FormButton).
//
// ipywidgets sends a click at once but holds a field's newest text back while its
// previous update is unanswered (one message in flight per widget), so on a busy
// kernel a Save clicked right after typing reached the kernel before the last
// letters did. Before sending the click, this button sends what the fields of its
// form still hold back, so the kernel reads the form as the person sees it.

function descendants(model, seen) {
  // The widget models under ``model`` (boxes list theirs in ``children``).
  if (!model || seen.has(model)) return;
  seen.add(model);
  const children = model.get("children");
  if (Array.isArray(children)) for (const child of children) descendants(child, seen);
}

function flush(model) {
  // Send a field's held-back state now, as ipywidgets itself does once the kernel answers.
  if (!model._msg_buffer || typeof model.send_sync_message !== "function") return false;
  const id = model.send_sync_message(model._msg_buffer, model._msg_buffer_callbacks);
  if (typeof model.rememberLastUpdateFor === "function") model.rememberLastUpdateFor(id);
  model._msg_buffer = null;
  model._msg_buffer_callbacks = null;
  return true;
}

async function flushForm(model) {
  const ref = model.get("form");
  if (typeof ref !== "string" || !ref.startsWith("IPY_MODEL_")) return 0;
  const form = await model.widget_manager.get_model(ref.slice("IPY_MODEL_".length));
  const seen = new Set();
  descendants(form, seen);
  let sent = 0;
  for (const m of seen) if (flush(m)) sent += 1;
  return sent;
}

function render({ model, el }) {
  const button = document.createElement("button");
  button.style.width = "auto"; // as wide as its words, in every language
  const draw = () => {
    const style = model.get("button_style");
    button.className = ["jupyter-widgets", "jupyter-button", "widget-button", style ? "mod-" + style : "", model.get("css_class")]
      .filter(Boolean).join(" ");
    button.textContent = model.get("description");
    button.title = model.get("tooltip") || "";
    button.disabled = model.get("disabled");
  };
  button.addEventListener("click", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    let flushed = 0;
    try {
      flushed = await flushForm(model);
    } catch (error) {
      console.warn("workbench: could not send the form's held-back fields before the click", error);
    }
    model.send({ event: "click", flushed }); // the click is never lost, whatever happened above
  });
  model.on("change", draw);
  draw();
  el.classList.add("wb-form-button");
  el.appendChild(button);
  return () => model.off("change", draw);
}

export default { render };
