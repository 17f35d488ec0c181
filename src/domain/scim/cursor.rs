//! Cursor paging (RFC 9865). A cursor is opaque to clients; inside it is where the previous
//! page ended: the last resource's (created, id) in the default order, which an index serves
//! however deep the page, or, for a `sortBy` order, how many resources came before.

use super::{ScimError, ScimType};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// Resources after this one, in creation order.
    After { created_at: String, id: String },
    /// Resources after the first `n`, in a sorted order.
    Skip(u64),
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::After { created_at, id } => format!("a|{created_at}|{id}"),
            Cursor::Skip(n) => format!("s|{n}"),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(token: &str) -> Result<Cursor, ScimError> {
        let invalid = || ScimError::bad_request(ScimType::InvalidCursor, format!("`{token}` is not a cursor this server issued."));
        let raw = URL_SAFE_NO_PAD.decode(token.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok()).ok_or_else(invalid)?;
        let mut parts = raw.split('|');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("a"), Some(created_at), Some(id), None) if !id.is_empty() => {
                Ok(Cursor::After { created_at: created_at.to_owned(), id: id.to_owned() })
            }
            (Some("s"), Some(n), None, None) => n.parse().map(Cursor::Skip).map_err(|_| invalid()),
            _ => Err(invalid()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_survive_the_round_trip_and_forgeries_are_refused() {
        let after = Cursor::After { created_at: "2026-11-22T10:00:00.000Z".into(), id: "abc".into() };
        assert_eq!(Cursor::decode(&after.encode()).unwrap(), after);
        assert_eq!(Cursor::decode(&Cursor::Skip(200).encode()).unwrap(), Cursor::Skip(200));
        for forged in ["", "not base64!", &URL_SAFE_NO_PAD.encode("s|-1"), &URL_SAFE_NO_PAD.encode("x|1")] {
            let err = Cursor::decode(forged).unwrap_err();
            assert_eq!((err.status, err.scim_type), (400, Some(ScimType::InvalidCursor)), "{forged}");
        }
    }
}
