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
