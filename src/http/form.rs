//! A strict `application/x-www-form-urlencoded` parser for the gateway's few small forms.
//!
//! Strict on purpose: invalid percent-encoding, invalid UTF-8, a repeated field, too many fields or a field
//! the form does not have are all refused, so a hostile body cannot smuggle values past the handlers.
//! Line breaks are normalised to `\n`, as browsers send `\r\n` for textarea content.

use zeroize::Zeroize;

/// The most fields any of the gateway's forms has, with room to spare.
const MAX_FIELDS: usize = 16;

/// Why a form body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A `%` not followed by two hexadecimal digits.
    #[error("invalid percent-encoding")]
    BadPercentEncoding,
    /// A name or value is not UTF-8 once decoded.
    #[error("a field is not valid UTF-8")]
    NotUtf8,
    /// The same field appears twice.
    #[error("a field appears more than once")]
    Repeated,
    /// More fields than any form has.
    #[error("too many fields")]
    TooManyFields,
    /// A field this form does not have.
    #[error("a field the form does not have")]
    UnknownField,
}

/// The decoded fields of one form. Values may be secret (messages, codes), so they are zeroized on drop and
/// never printed.
pub struct Form {
    fields: Vec<(String, String)>,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form")
            .field("fields", &self.fields.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Form {
    fn drop(&mut self) {
        for (name, value) in &mut self.fields {
            name.zeroize();
            value.zeroize();
        }
    }
}

impl Form {
    /// Parses a body, accepting only the field names in `allowed`.
    pub fn parse(body: &[u8], allowed: &[&str]) -> Result<Form, FormError> {
        let mut fields: Vec<(String, String)> = Vec::new();
        let result = (|| {
            for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
                if fields.len() == MAX_FIELDS {
                    return Err(FormError::TooManyFields);
                }
                let (name, value) = match pair.iter().position(|&b| b == b'=') {
                    Some(at) => (&pair[..at], &pair[at + 1..]),
                    None => (pair, &[][..]),
                };
                let name = decode(name)?;
                if !allowed.contains(&name.as_str()) {
                    return Err(FormError::UnknownField);
                }
                if fields.iter().any(|(n, _)| *n == name) {
                    return Err(FormError::Repeated);
                }
                let value = decode(value)?;
                fields.push((name, value));
            }
            Ok(())
        })();
        let form = Form { fields };
        result.map(|()| form)
    }

    /// The value of a field, if it was sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a field, or the empty string.
    pub fn value(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn decode(input: &[u8]) -> Result<String, FormError> {
    let mut bytes = Vec::with_capacity(input.len());
    let mut rest = input;
    while let Some((&first, tail)) = rest.split_first() {
        match first {
            b'+' => {
                bytes.push(b' ');
                rest = tail;
            }
            b'%' => match tail {
                [high, low, after @ ..] => {
                    let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low)) else {
                        bytes.zeroize();
                        return Err(FormError::BadPercentEncoding);
                    };
                    bytes.push(high << 4 | low);
                    rest = after;
                }
                _ => {
                    bytes.zeroize();
                    return Err(FormError::BadPercentEncoding);
                }
            },
            other => {
                bytes.push(other);
                rest = tail;
            }
        }
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        e.into_bytes().zeroize();
        FormError::NotUtf8
    })?;
    if text.contains('\r') {
        let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        text.zeroize();
        text = normalised;
    }
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_line_breaks() {
        let form = Form::parse(
            b"message=Hej+d%C3%A4r%0D%0Arad+2&group=exposed",
            &["message", "group"],
        )
        .expect("valid");
        assert_eq!(form.value("message"), "Hej där\nrad 2");
        assert_eq!(form.value("group"), "exposed");
        assert_eq!(form.get("urgent"), None);
    }

    #[test]
    fn refuses_bad_percent_encoding_and_invalid_utf8() {
        assert_eq!(
            Form::parse(b"a=%zz", &["a"]).unwrap_err(),
            FormError::BadPercentEncoding
        );
        assert_eq!(
            Form::parse(b"a=%4", &["a"]).unwrap_err(),
            FormError::BadPercentEncoding
        );
        assert_eq!(
            Form::parse(b"a=%ff%fe", &["a"]).unwrap_err(),
            FormError::NotUtf8
        );
    }

    #[test]
    fn refuses_repeated_unknown_and_too_many_fields() {
        assert_eq!(
            Form::parse(b"a=1&a=2", &["a"]).unwrap_err(),
            FormError::Repeated
        );
        assert_eq!(
            Form::parse(b"b=1", &["a"]).unwrap_err(),
            FormError::UnknownField
        );
        let many = (0..20)
            .map(|i| format!("a{i}=1"))
            .collect::<Vec<_>>()
            .join("&");
        let names: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
        let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            Form::parse(many.as_bytes(), &allowed).unwrap_err(),
            FormError::TooManyFields
        );
    }

    #[test]
    fn debug_output_shows_no_values() {
        let form = Form::parse(b"code=1234567890123456", &["code"]).expect("valid");
        assert!(!format!("{form:?}").contains("1234"));
    }
}
