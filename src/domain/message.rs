//! Text for a person, kept as a locale key and its values until it is shown. The server refuses
//! things without knowing the admin's language; the portal shows the refusal in the page's
//! language (`locales/messages.yml`), and logs, the CLI and SCIM error details read English.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    key: String,
    args: Vec<(String, Arg)>,
}

/// A value as it is, or a term (a locale key) that is itself translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Arg {
    Value(String),
    Term(String),
}

impl Message {
    pub fn new(key: &str) -> Self {
        Message { key: key.to_owned(), args: Vec::new() }
    }

    /// Fills `%{name}` in the text.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.args.push((name.to_owned(), Arg::Value(value.to_string())));
        self
    }

    /// Fills `%{name}` with the text of another key, e.g. a form field's label.
    pub fn with_term(mut self, name: &str, key: &str) -> Self {
        self.args.push((name.to_owned(), Arg::Term(key.to_owned())));
        self
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// The text in the language with this code (`en`, `ja`, `fr`).
    pub fn text(&self, locale: &str) -> String {
        let template = rust_i18n::t!(&self.key, locale = locale);
        let names: Vec<&str> = self.args.iter().map(|(name, _)| name.as_str()).collect();
        let values: Vec<String> = self
            .args
            .iter()
            .map(|(_, arg)| match arg {
                Arg::Value(value) => value.clone(),
                Arg::Term(key) => rust_i18n::t!(key.as_str(), locale = locale).into_owned(),
            })
            .collect();
        rust_i18n::replace_patterns(&template, &names, &values)
    }
}

/// English.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text("en"))
    }
}

/// `msg!("messages.user_exists", name = user_name)`: a [`Message`], shown later in the reader's language.
#[macro_export]
macro_rules! msg {
    ($key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::message::Message::new($key)$(.with(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_reads_in_each_language_with_its_values() {
        let message = crate::msg!("messages.user_exists", name = "ann@example.com");
        assert_eq!(message.to_string(), "A user named ann@example.com already exists.");
        assert!(message.text("ja").contains("ann@example.com"));
        assert_ne!(message.text("ja"), message.text("en"));
        assert_ne!(message.text("fr"), message.text("en"));
    }
}
