//! Admin > System > Attributes: custom attributes defined in the IdP settings, type IDP (A5).

use crate::api::portal::list_custom_attributes;
use crate::app::components::status::{ErrorMessage, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AttributesPage() -> impl IntoView {
    let attributes = Resource::new(|| (), |_| list_custom_attributes());

    view! {
        <Title text="Attributes"/>
        <h1>"Attributes"</h1>
        <p class="lead">
            "Custom user attributes, referenced as ${attributeName} in configuration fields that support variables. "
            "Attributes of type IDP are added in an identity provider's User Provisioning settings."
        </p>
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
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|attribute| view! {
                                <tr>
                                    <td>{attribute.name}</td>
                                    <td>"IDP"</td>
                                    <td>{attribute.idp.display_name()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}
