//! Modal dialogs: a confirmation, a delete button that asks first, and what makes any dialog
//! modal for the keyboard (focus moves in, Tab stays inside, Escape closes, and focus goes back
//! to the button that opened it).

use leptos::html;
use leptos::prelude::*;

/// Call in a dialog's component: when the dialog goes, focus returns to what had it before
/// (the button that opened it), so a keyboard user carries on from where they were.
pub fn return_focus_on_close() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let opener = send_wrapper::SendWrapper::new(document().active_element());
        on_cleanup(move || {
            if let Some(opener) = opener.take().and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
                let _ = opener.focus();
            }
        });
    }
}

/// The dialog's `on:keydown`: Escape runs `on_escape`; Tab and Shift+Tab wrap around inside
/// the dialog instead of leaving for the page behind it.
pub fn modal_keys(on_escape: Callback<()>) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    move |event| match event.key().as_str() {
        "Escape" => on_escape.run(()),
        "Tab" => keep_tab_inside(&event),
        _ => {}
    }
}

fn keep_tab_inside(event: &leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(dialog) = event.current_target().and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
        let Ok(focusable) =
            dialog.query_selector_all("button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, a[href]")
        else {
            return;
        };
        let (Some(first), Some(last)) = (focusable.item(0), focusable.item(focusable.length().saturating_sub(1))) else { return };
        let active = document().active_element();
        let at = |node: &leptos::web_sys::Node| active.as_ref().is_some_and(|active| node.is_same_node(Some(active)));
        let wrap_to = if event.shift_key() && at(&first) {
            last
        } else if !event.shift_key() && at(&last) {
            first
        } else {
            return;
        };
        if let Ok(element) = wrap_to.dyn_into::<leptos::web_sys::HtmlElement>() {
            event.prevent_default();
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    #[prop(into)] confirm_label: String,
    #[prop(optional)] danger: bool,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    // A dangerous dialog starts on Cancel, so a stray Enter keeps things as they are.
    let (cancel_button, confirm_button) = (NodeRef::<html::Button>::new(), NodeRef::<html::Button>::new());
    return_focus_on_close();
    Effect::new(move |_| {
        if let Some(button) = if danger { cancel_button.get() } else { confirm_button.get() } {
            let _ = button.focus();
        }
    });
    view! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-message" on:keydown=modal_keys(on_cancel)>
                <h2 id="dialog-title">{title}</h2>
                <p id="dialog-message">{message}</p>
                <div class="actions">
                    <button type="button" class="button secondary" node_ref=cancel_button on:click=move |_| on_cancel.run(())>{crate::tr!("common.cancel")}</button>
                    <button type="button" class="button" class:danger=danger node_ref=confirm_button on:click=move |_| on_confirm.run(())>
                        {confirm_label}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// A danger button that asks first, runs `delete`, shows its error if it fails, and goes to
/// `then` (the list the deleted thing was in) when it worked.
#[component]
pub fn DeleteButton<F, Fut>(
    #[prop(into)] label: String,
    #[prop(into)] title: String,
    #[prop(into)] message: String,
    delete: F,
    then: &'static str,
) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), crate::api::AppError>> + Send + 'static,
{
    let delete = Action::new(move |_: &()| delete());
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate(then, Default::default());
        }
    });
    let confirming = RwSignal::new(false);
    view! {
        <button type="button" class="button danger" on:click=move |_| confirming.set(true)>{label}</button>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <crate::app::components::status::ErrorMessage error/> })}
        <Show when=move || confirming.get()>
            <ConfirmDialog
                title=title.clone()
                message=message.clone()
                confirm_label=crate::tr!("common.delete")
                danger=true
                on_confirm=Callback::new(move |_| { confirming.set(false); delete.dispatch(()); })
                on_cancel=Callback::new(move |_| confirming.set(false))
            />
        </Show>
    }
}
