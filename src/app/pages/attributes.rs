//! Admin > System > Attributes: custom attributes defined in the IdP settings, type IDP, whose
//! only action is Delete (A5).

use crate::api::settings::{delete_custom_attribute, list_custom_attributes};
use crate::app::components::dialog::ConfirmDialog;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::models::CustomAttribute;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AttributesPage() -> impl IntoView {
    let delete = Action::new(|attribute: &CustomAttribute| delete_custom_attribute(attribute.idp, attribute.name.clone()));
    let attributes = Resource::new(move || delete.version().get(), |_| list_custom_attributes());
    let confirming = RwSignal::new(None::<CustomAttribute>);

    view! {
        <Title text=tr!("attributes.title")/>
        <h1>{tr!("attributes.title")}</h1>
        <p class="lead">{tr!("attributes.lead")}</p>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
        <Transition fallback=Loading>
            {move || attributes.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{tr!("attributes.empty")}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr!("attributes.name")}</th>
                            <th scope="col">{tr!("attributes.type")}</th>
                            <th scope="col">{tr!("attributes.idp")}</th>
                            <th scope="col"><span class="visually-hidden">{tr!("common.actions")}</span></th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|attribute| {
                                let target = attribute.clone();
                                view! {
                                    <tr>
                                        <td>{attribute.name.clone()}</td>
                                        <td>"IDP"</td>
                                        <td>{attribute.idp.display_name()}</td>
                                        <td>
                                            <button type="button" class="button secondary small" aria-label=tr!("attributes.delete_label", name = attribute.name)
                                                on:click=move |_| confirming.set(Some(target.clone()))>{tr!("common.delete")}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
        {move || confirming.get().map(|attribute| view! {
            <ConfirmDialog
                title=tr!("attributes.confirm_title", name = attribute.name)
                message=tr!("attributes.confirm_message", idp = attribute.idp.display_name(), name = attribute.name)
                confirm_label=tr!("common.delete")
                danger=true
                on_confirm=Callback::new(move |_| {
                    if let Some(attribute) = confirming.get_untracked() {
                        delete.dispatch(attribute);
                    }
                    confirming.set(None);
                })
                on_cancel=Callback::new(move |_| confirming.set(None))
            />
        })}
    }
}
