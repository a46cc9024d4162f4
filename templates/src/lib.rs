#![doc = include_str!("../README.md")]

mod centre;
mod forms;
mod help;
mod i18n;
mod lang;
mod layout;
mod pages;
mod site;
mod style;

#[cfg(test)]
mod tests;

pub use centre::{Audience, Centre, Helpline, Hours, Phone};
pub use forms::{field_errors, Field, FieldError, Group};
pub use lang::Lang;
pub use pages::burn::{burn_confirm, burned, BurnConfirm};
pub use pages::code::{code_checked, code_gone, code_page, CodePage};
pub use pages::contact::{contact, ContactForm};
pub use pages::error::{error, ErrorKind};
pub use pages::info::{info, InfoPage};
pub use pages::landing::{landing, start_page, Start};
pub use pages::open::{return_page, ReturnForm};
pub use pages::thread::{thread, EntryView, Sent, ThreadPage};
pub use site::{Keep, Site};
pub use style::{style_csp_source, STYLE};
