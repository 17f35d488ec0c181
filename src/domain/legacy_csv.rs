//! M1: the legacy "Entra ID user source" export, read from CSV. Columns are found by header
//! (any case, any order): `userName`, `givenName`, `familyName`, `email`, and optionally
//! `displayName` and `groups` (names separated by `;`). Each row meets the rules a local user
//! meets (A9, A10); a bad row is reported by line and skipped, never half-imported.

use super::message::Message;
use super::validate;
use crate::models::NewLocalUser;
use crate::msg;
use serde_json::Value;

/// More rows than this is a mistake (or another file), not a directory export to import.
pub const MAX_ROWS: usize = 20_000;

/// A row ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyUser {
    pub line: usize,
    pub document: Value,
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub reason: Message,
}

/// Every valid row, and a reason for each row that is not.
pub fn read(text: &str) -> Result<(Vec<LegacyUser>, Vec<RowError>), Message> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|err| msg!("messages.csv_unreadable", error = err))?.clone();
    let column = |name: &str| headers.iter().position(|header| header.eq_ignore_ascii_case(name));
    let required = ["userName", "givenName", "familyName", "email"];
    let missing: Vec<&str> = required.into_iter().filter(|name| column(name).is_none()).collect();
    if !missing.is_empty() {
        return Err(msg!("messages.csv_missing_columns", columns = missing.join(", ")));
    }
    let [user_name, given_name, family_name, email] = required.map(|name| column(name).expect("checked above"));
    let (display_name, groups) = (column("displayName"), column("groups"));

    let mut users = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let position = match &record {
            Ok(record) => record.position(),
            Err(err) => err.position(),
        };
        let line = position.map_or(index + 2, |position| line_at(text, position.byte() as usize));
        if users.len() + errors.len() >= MAX_ROWS {
            return Err(msg!("messages.csv_too_many_rows", max = MAX_ROWS));
        }
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                errors.push(RowError { line, reason: msg!("messages.csv_row_unreadable", error = err) });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |column: Option<usize>| column.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        let new = NewLocalUser {
            user_name: get(Some(user_name)),
            given_name: get(Some(given_name)),
            family_name: get(Some(family_name)),
            display_name: get(display_name),
            email: get(Some(email)),
        };
        match validate::local_user(&new) {
            Ok(document) => users.push(LegacyUser {
                line,
                document,
                groups: get(groups).split(';').map(str::trim).filter(|g| !g.is_empty()).map(str::to_owned).collect(),
            }),
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    Ok((users, errors))
}

/// The editor line a record starting at `byte` is on. (The reader's own line count stops at
/// the blank lines it skips before a record.)
fn line_at(text: &str, byte: usize) -> usize {
    let before = &text.as_bytes()[..byte.min(text.len())];
    let skipped = text.as_bytes()[before.len()..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).filter(|b| **b == b'\n').count();
    1 + before.iter().filter(|b| **b == b'\n').count() + skipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_by_header_and_bad_ones_reported_by_line() {
        let csv = "\u{feff}Email,UserName,givenName,familyName,groups\n\
                   ann@example.com,ann@example.com,Ann,Lee,Sales; Field\n\
                   bo@example.com,bo@example.com,,Ng,\n\
                   \n\
                   \"cy@example.com\",cy@example.com,Cy,\"O'Neil, Jr\",\n";
        let (users, errors) = read(csv).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].document["userName"], "ann@example.com");
        assert_eq!(users[0].groups, ["Sales", "Field"]);
        assert_eq!(users[1].document["name"]["familyName"], "O'Neil, Jr");
        assert_eq!(users[1].line, 5);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].reason.to_string()), (3, "Enter the first name.".to_owned()));
    }

    #[test]
    fn a_file_without_the_columns_is_refused_whole() {
        let error = read("name,mail\nann,ann@example.com\n").unwrap_err().to_string();
        assert!(error.contains("missing: userName, givenName, familyName, email"), "{error}");
    }
}
