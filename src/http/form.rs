//! A strict `application/x-www-form-urlencoded` parser for the gateway's few small forms.
//!
//! Strict on purpose: invalid percent-encoding, invalid UTF-8, a repeated field, too many fields or a field
//! the form does not have are all refused, so a hostile body cannot smuggle values past the handlers.
//! Line breaks are normalised to `\n`, as browsers send `\r\n` for textarea content.

use porten_templates::Field;
use zeroize::Zeroize;

/// The most fields a body may have: every input once.
const MAX_FIELDS: usize = Field::INPUTS.len();

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
    fields: Vec<(Field, String)>,
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
        for (_, value) in &mut self.fields {
            value.zeroize();
        }
    }
}

impl Form {
    /// Parses a body, accepting only the names of [`Field::INPUTS`], each at most once.
    pub fn parse(body: &[u8]) -> Result<Form, FormError> {
        let pairs = || body.split(|&b| b == b'&').filter(|p| !p.is_empty());
        if pairs().count() > MAX_FIELDS {
            return Err(FormError::TooManyFields);
        }
        let mut fields: Vec<(Field, String)> = Vec::new();
        let result = (|| {
            for pair in pairs() {
                let (name, value) = match pair.iter().position(|&b| b == b'=') {
                    Some(at) => (&pair[..at], &pair[at + 1..]),
                    None => (pair, &[][..]),
                };
                let mut name = decode(name)?;
                let field = Field::INPUTS.into_iter().find(|f| f.name() == name);
                name.zeroize();
                let Some(field) = field else {
                    return Err(FormError::UnknownField);
                };
                if fields.iter().any(|(f, _)| *f == field) {
                    return Err(FormError::Repeated);
                }
                let value = decode(value)?;
                fields.push((field, value));
            }
            Ok(())
        })();
        let form = Form { fields };
        result.map(|()| form)
    }

    /// The value of a field, if it was sent.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a field, or the empty string.
    pub fn value(&self, field: Field) -> &str {
        self.get(field).unwrap_or("")
    }

    /// Whether the body had no field at all: the post of a button that only opens a form.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
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
        let form = Form::parse(b"message=Hej+d%C3%A4r%0D%0Arad+2&group=exposed").expect("valid");
        assert_eq!(form.value(Field::Message), "Hej där\nrad 2");
        assert_eq!(form.value(Field::Group), "exposed");
        assert_eq!(form.get(Field::Urgent), None);
    }

    #[test]
    fn refuses_bad_percent_encoding_and_invalid_utf8() {
        assert_eq!(
            Form::parse(b"code=%zz").unwrap_err(),
            FormError::BadPercentEncoding
        );
        assert_eq!(
            Form::parse(b"code=%4").unwrap_err(),
            FormError::BadPercentEncoding
        );
        assert_eq!(Form::parse(b"code=%ff%fe").unwrap_err(), FormError::NotUtf8);
    }

    #[test]
    fn refuses_repeated_unknown_and_too_many_fields() {
        assert_eq!(
            Form::parse(b"code=1&code=2").unwrap_err(),
            FormError::Repeated
        );
        assert_eq!(Form::parse(b"b=1").unwrap_err(), FormError::UnknownField);
        assert_eq!(Form::parse(b"form=1").unwrap_err(), FormError::UnknownField);
        let many = ["code=1"; MAX_FIELDS + 1].join("&");
        assert_eq!(
            Form::parse(many.as_bytes()).unwrap_err(),
            FormError::TooManyFields
        );
    }

    #[test]
    fn every_input_field_is_accepted_once() {
        let body = Field::INPUTS
            .iter()
            .map(|f| format!("{}=x", f.name()))
            .collect::<Vec<_>>()
            .join("&");
        let form = Form::parse(body.as_bytes()).expect("valid");
        for field in Field::INPUTS {
            assert_eq!(form.value(field), "x");
        }
    }

    #[test]
    fn an_empty_body_is_an_empty_form() {
        assert!(Form::parse(b"").expect("valid").is_empty());
        assert!(!Form::parse(b"code=").expect("valid").is_empty());
    }

    #[test]
    fn debug_output_shows_no_values() {
        let form = Form::parse(b"code=1234567890123456").expect("valid");
        assert!(!format!("{form:?}").contains("1234"));
    }
}
