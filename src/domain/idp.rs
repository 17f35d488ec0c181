//! The identity providers Provisio takes users from (I1, I2), and the sources a user can have.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// How many SCIM tokens an IdP may have at a time (T2); here, so the portal can tell too.
pub const MAX_TOKENS_PER_IDP: usize = 2;

/// An identity provider that pushes users and groups over SCIM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Idp {
    Entra,
    Okta,
}

impl Idp {
    pub const ALL: [Idp; 2] = [Idp::Entra, Idp::Okta];

    /// The URL and database spelling: `entra`, `okta`.
    pub fn slug(self) -> &'static str {
        match self {
            Idp::Entra => "entra",
            Idp::Okta => "okta",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Idp::Entra => "Entra ID",
            Idp::Okta => "Okta",
        }
    }

    /// The vendor named in the audit trail's DETAILS column (T5).
    pub fn vendor(self) -> &'static str {
        match self {
            Idp::Entra => "Entra ID/Azure",
            Idp::Okta => "Okta",
        }
    }

    /// The source every user and group provisioned by this IdP gets (I2).
    pub fn source(self) -> Source {
        match self {
            Idp::Entra => Source::ScimEntra,
            Idp::Okta => Source::ScimOkta,
        }
    }
}

impl fmt::Display for Idp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown identity provider `{0}`: expected `entra` or `okta`")]
pub struct UnknownIdp(pub String);

impl FromStr for Idp {
    type Err = UnknownIdp;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "entra" => Ok(Idp::Entra),
            "okta" => Ok(Idp::Okta),
            _ => Err(UnknownIdp(s.to_owned())),
        }
    }
}

/// Lets sqlx read an `idp` column straight into the enum.
impl TryFrom<String> for Idp {
    type Error = UnknownIdp;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// Where a user or group came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The built-in "All Users" group.
    Builtin,
    /// Created in the portal.
    Local,
    /// Imported by the older "Entra ID user source" (M1).
    LegacyEntra,
    ScimEntra,
    ScimOkta,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Builtin => "builtin",
            Source::Local => "local",
            Source::LegacyEntra => "legacy_entra",
            Source::ScimEntra => "scim_entra",
            Source::ScimOkta => "scim_okta",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::Builtin => "Built-in",
            Source::Local => "Local",
            Source::LegacyEntra => "Legacy Entra ID",
            Source::ScimEntra => "SCIM Entra ID",
            Source::ScimOkta => "SCIM Okta",
        }
    }

    /// The sources a user can have, in the order the Users filter lists them.
    pub const USERS: [Source; 4] = [Source::Local, Source::LegacyEntra, Source::ScimEntra, Source::ScimOkta];

    /// The IdP that provisions this source, if one does (P7: the portal cannot change its data).
    pub fn idp(self) -> Option<Idp> {
        match self {
            Source::ScimEntra => Some(Idp::Entra),
            Source::ScimOkta => Some(Idp::Okta),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        [Source::Builtin, Source::Local, Source::LegacyEntra, Source::ScimEntra, Source::ScimOkta]
            .into_iter()
            .find(|source| source.as_str() == s)
    }
}

/// Lets sqlx read a `source` column straight into the enum.
impl TryFrom<String> for Source {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Source::parse(&value).ok_or_else(|| format!("unknown source `{value}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idp_round_trips_through_its_slug() {
        for idp in Idp::ALL {
            assert_eq!(idp.slug().parse::<Idp>(), Ok(idp));
        }
        assert_eq!("ENTRA".parse::<Idp>(), Ok(Idp::Entra));
        assert!("azure".parse::<Idp>().is_err());
    }

    #[test]
    fn each_idp_provisions_into_its_own_source() {
        assert_eq!(Idp::Entra.source().label(), "SCIM Entra ID");
        assert_eq!(Idp::Okta.source().label(), "SCIM Okta");
        assert_eq!(Source::parse("legacy_entra"), Some(Source::LegacyEntra));
        assert_eq!(Source::parse("nope"), None);
    }
}
