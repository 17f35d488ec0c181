//! A modal confirmation: focus moves to its confirm button, Escape or Cancel closes it.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    #[prop(into)] confirm_label: String,
    #[prop(optional)] danger: bool,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let confirm_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            on_cancel.run(());
        }
    };
    view! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-message" on:keydown=on_keydown>
                <h2 id="dialog-title">{title}</h2>
                <p id="dialog-message">{message}</p>
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{crate::tr!("common.cancel")}</button>
                    <button type="button" class="button" class:danger=danger node_ref=confirm_button on:click=move |_| on_confirm.run(())>
                        {confirm_label}
                    </button>
                </div>
            </div>
        </div>
    }
}
