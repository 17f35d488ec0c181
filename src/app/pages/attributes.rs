//! Admin > System > Attributes: custom attributes defined in the IdP settings, type IDP, whose
//! only action is Delete (A5).

use crate::api::settings::{delete_custom_attribute, list_custom_attributes};
use crate::app::components::dialog::ConfirmDialog;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::models::CustomAttribute;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AttributesPage() -> impl IntoView {
    let delete = Action::new(|attribute: &CustomAttribute| delete_custom_attribute(attribute.idp, attribute.name.clone()));
    let attributes = Resource::new(move || delete.version().get(), |_| list_custom_attributes());
    let confirming = RwSignal::new(None::<CustomAttribute>);

    view! {
        <Title text="Attributes"/>
        <h1>"Attributes"</h1>
        <p class="lead">
            "Custom user attributes, referenced as ${attributeName} in configuration fields that support variables. "
            "Attributes of type IDP are added in an identity provider's User Provisioning settings."
        </p>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
        <Transition fallback=Loading>
            {move || attributes.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">"No custom attributes are defined."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Attribute type"</th>
                            <th scope="col">"Identity provider"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
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
                                            <button type="button" class="button secondary small" aria-label=format!("Delete {}", attribute.name)
                                                on:click=move |_| confirming.set(Some(target.clone()))>"Delete"</button>
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
                title=format!("Delete {}?", attribute.name)
                message=format!(
                    "{} stops offering {} to map. Values users already have are kept, and come back if the attribute is added again.",
                    attribute.idp.display_name(), attribute.name
                )
                confirm_label="Delete"
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
