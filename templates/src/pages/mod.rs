//! One module per page. Each page is a pure function from a [`crate::Site`] and its own data to a complete
//! HTML document; the HTTP handlers choose which page to show and fill the data.

pub(crate) mod burn;
pub(crate) mod code;
pub(crate) mod contact;
pub(crate) mod error;
pub(crate) mod info;
pub(crate) mod landing;
pub(crate) mod open;
pub(crate) mod thread;
