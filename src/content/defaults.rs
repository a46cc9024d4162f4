//! The built-in information pages, embedded so that a gateway without `site.content_dir` still has them.
//! A centre that wants its own copies these files into its folder and edits them there.

/// `(language, page name, Markdown)`.
pub(super) const FILES: &[(&str, &str, &str)] = &[
    ("sv", "index", include_str!("default/sv/index.md")),
    ("sv", "safety", include_str!("default/sv/safety.md")),
    ("sv", "about", include_str!("default/sv/about.md")),
    ("sv", "abroad", include_str!("default/sv/abroad.md")),
    ("sv", "rights", include_str!("default/sv/rights.md")),
    (
        "sv",
        "how-it-works",
        include_str!("default/sv/how-it-works.md"),
    ),
    ("sv", "relatives", include_str!("default/sv/relatives.md")),
    ("sv", "change", include_str!("default/sv/change.md")),
    (
        "sv",
        "professionals",
        include_str!("default/sv/professionals.md"),
    ),
    ("en", "index", include_str!("default/en/index.md")),
    ("en", "safety", include_str!("default/en/safety.md")),
    ("en", "about", include_str!("default/en/about.md")),
    ("en", "abroad", include_str!("default/en/abroad.md")),
    ("en", "rights", include_str!("default/en/rights.md")),
    (
        "en",
        "how-it-works",
        include_str!("default/en/how-it-works.md"),
    ),
    ("en", "relatives", include_str!("default/en/relatives.md")),
    ("en", "change", include_str!("default/en/change.md")),
    (
        "en",
        "professionals",
        include_str!("default/en/professionals.md"),
    ),
];
