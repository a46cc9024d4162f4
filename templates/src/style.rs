//! The one style sheet. Every page inlines it in a single `<style>` element, so a page is one request with no
//! subresource; the HTTP layer allows exactly this text through the CSP hash from [`style_csp_source`].
//! Logical properties (`margin-inline-start`, `text-align: start`) make right-to-left pages mirror by themselves.
//! Colours meet WCAG AA contrast against their backgrounds; focus is a thick black-and-yellow ring.

use base64::Engine as _;

/// The style sheet every page inlines, byte for byte. Change it freely: the CSP hash follows.
pub const STYLE: &str = concat!(
    "*,*::before,*::after{box-sizing:border-box}",
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}",
    "body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#0b0c0c;background:#fff;overflow-wrap:break-word}",
    // Tigrinya needs an Ethiopic font; no font is downloaded, so name the system ones that have it (Debian and
    // Android: Noto Sans Ethiopic; Debian also Abyssinica SIL; Windows: Ebrima, Nyala; Apple: Kefa).
    ":lang(ti){font-family:system-ui,\"Noto Sans Ethiopic\",\"Abyssinica SIL\",Ebrima,Nyala,Kefa,sans-serif}",
    // Arabic script and Ethiopic have taller letters and marks than Latin: tight headings would touch.
    "[dir=rtl] h1,[dir=rtl] h2,:lang(ti) h1,:lang(ti) h2{line-height:1.45}",
    // What HTML's own rendering rules say, stated for browsers older than them: a number, code, name or time
    // marked with its own direction never reorders the text around it.
    "bdi,[dir=ltr],[dir=rtl]{unicode-bidi:isolate}",
    // A message may mix languages line by line: each line takes the direction of its own first letter.
    "textarea,.text{unicode-bidi:plaintext}",
    ".w{max-width:42rem;margin-inline:auto;padding-inline:1rem}",
    // The exit bar stays on screen while scrolling on every screen, so leaving never needs a scroll back up
    // first. It sits top right in every language: `row-reverse` undoes the mirroring of right-to-left pages, so
    // a hand that learned where it is finds it whatever the page's language.
    ".exit-bar{position:sticky;top:0;z-index:1;background:#0b0c0c;padding:.5rem;display:flex;flex-wrap:wrap;",
    "justify-content:flex-end}",
    "[dir=rtl] .exit-bar{flex-direction:row-reverse}",
    ".exit,.exit:visited{flex:1 1 100%;background:#b10e1e;color:#fff;font-weight:700;font-size:1.25rem;",
    "line-height:1.3;padding:.75rem 1rem;min-height:3rem;border:2px solid #fff;border-radius:.3rem;",
    "text-decoration:none;text-align:center}",
    "@media (min-width:40rem){.exit,.exit:visited{flex:0 1 16rem}}",
    // On short screens (a phone held sideways, 200 % zoom) the bar shrinks so it hides little of the page.
    "@media (max-height:30rem){.exit-bar{padding:.25rem}.exit,.exit:visited{font-size:1.125rem;",
    "padding:.4rem 1rem;min-height:2.75rem}}",
    ".skip{position:absolute;inset-inline-start:-999rem}",
    ".skip:focus{position:static;flex-basis:100%;padding:.5rem 1rem;margin-top:.5rem;background:#fff;color:#0b0c0c}",
    "header{border-bottom:1px solid #b1b4b6;padding-block:.75rem}",
    ".home,.home:visited{font-weight:700;color:#0b0c0c;text-decoration:none}",
    // Eleven languages wrap to several rows on a phone: tight rows keep the page's own text on the first
    // screen, while each name stays a target of at least 24 px.
    ".langs{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:0 1.25rem}",
    ".langs li{margin-block:0}",
    ".langs a,.langs span{display:inline-block;padding-block:.125rem}",
    ".langs span{font-weight:700}",
    "main{display:block;padding-block:.5rem 2rem}",
    "h1{font-size:1.75rem;line-height:1.2;margin:1rem 0}",
    "h2{font-size:1.375rem;line-height:1.25;margin:2rem 0 .75rem}",
    "h3{font-size:1.125rem;margin:0}",
    "p,ul,ol{margin-block:0 1rem}",
    "form{margin-block:0 1.5rem}",
    "ul,ol{padding-inline-start:1.5rem}",
    "li{margin-block:.25rem}",
    "a{color:#1d4f91;text-decoration-thickness:max(1px,.0625rem);text-underline-offset:.15em}",
    "a:visited{color:#1d4f91}",
    // Focus: a black ring with a yellow halo on controls, a yellow highlight on links (readable on any
    // background, and the outline keeps it visible in forced-colour modes).
    ":focus{outline:3px solid #0b0c0c;outline-offset:1px;box-shadow:0 0 0 7px #fd0}",
    "a:focus,.exit:focus,button:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;",
    "box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}",
    ".vh{position:absolute;width:1px;height:1px;margin:0;padding:0;overflow:hidden;clip:rect(0 0 0 0);",
    "clip-path:inset(50%);white-space:nowrap;border:0}",
    // The honeypot field: off-screen for people, present for form-filling robots.
    ".hp{position:absolute;inset-inline-start:-100rem;width:1px;height:1px;overflow:hidden}",
    ".button,.button:visited,button{display:inline-block;font:inherit;font-weight:700;line-height:1.3;",
    "background:#00703c;color:#fff;border:2px solid transparent;border-radius:.3rem;padding:.75rem 1.25rem;",
    "min-height:3rem;text-decoration:none;text-align:center;cursor:pointer;box-shadow:0 2px #002d18}",
    ".big{font-size:1.375rem;padding:1rem 1.5rem}",
    // The code page's language buttons send its form (to keep the code) but read as the links they replace.
    ".langs .lang{background:none;color:#1d4f91;border:0;box-shadow:none;padding:.125rem 0;min-height:0;",
    "font-weight:400;text-decoration:underline}",
    // A form that only opens another form: the button alone, in the flow of the text.
    ".open{margin-block:1rem}",
    // The code first, and the 112 line right under it; a failed check marks the digits that differ.
    ".urgent-line{margin-top:0}",
    "mark{background:#fd0;color:#0b0c0c;font-weight:700;text-decoration:underline}",
    ".danger{background:#b10e1e;box-shadow:0 2px #55070e}",
    ".quiet{background:#fff;color:#b10e1e;border-color:#b10e1e;box-shadow:none}",
    ".box{border-inline-start:.5rem solid #1d4f91;background:#f3f2f1;padding:1rem;margin-block:1.5rem}",
    ".box>:last-child{margin-bottom:0}",
    ".box h2{margin-top:0}",
    ".urgent{border-inline-start-color:#b10e1e;background:#fcefef}",
    ".ok{border-inline-start-color:#00703c;background:#eef7f1}",
    ".errors{border:4px solid #b10e1e;padding:1rem;margin-block:1rem 1.5rem}",
    ".errors h2{margin-top:0}",
    ".errors a{color:#b10e1e;font-weight:700}",
    ".error{color:#b10e1e;font-weight:700;margin:.25rem 0 .5rem}",
    ".field{margin-block:1.5rem}",
    ".invalid{border-inline-start:.3rem solid #b10e1e;padding-inline-start:.75rem}",
    ".field>label,legend{display:block;font-weight:700;margin-bottom:.25rem}",
    "legend{font-size:1.25rem;padding:0}",
    "fieldset{border:0;margin:0;padding:0;min-width:0}",
    ".hint{color:#505a5f;margin:0 0 .5rem}",
    "input,textarea,select{font:inherit;color:#0b0c0c;background:#fff;border:2px solid #0b0c0c;border-radius:0}",
    "input[type=text],textarea{width:100%;padding:.5rem}",
    "textarea{min-height:12rem;resize:vertical}",
    "select{max-width:100%;padding:.5rem;min-height:2.75rem}",
    ".choice{display:flex;align-items:flex-start;gap:.75rem;margin-block:.5rem}",
    ".choice input{flex:none;width:1.75rem;height:1.75rem;margin:.125rem 0 0;accent-color:#0b0c0c}",
    ".choice label{padding-block:.125rem}",
    ".code-input{max-width:20rem;font-size:1.5rem;letter-spacing:.08em}",
    // `dir="ltr"` keeps the digit groups in order; `fit-content` shrinks the box to the code, so on a wide
    // right-to-left page it sits at the right like the text around it. (`display:table` would do the same but
    // makes Chromium drop the spaces between the groups.)
    ".code{width:fit-content;font:700 2rem/1.4 ui-monospace,monospace;letter-spacing:.08em;word-spacing:.3em;",
    "margin-block:1rem}",
    ".code span{white-space:nowrap}",
    ".numbers{list-style:none;padding:0}",
    ".numbers li{margin-block:.5rem}",
    ".num{font-weight:700;font-size:1.25rem;white-space:nowrap}",
    ".onion{font-family:ui-monospace,monospace;overflow-wrap:anywhere}",
    ".thread{list-style:none;padding:0}",
    ".entry{border-inline-start:.5rem solid #1d4f91;background:#f3f2f1;padding:.75rem 1rem;margin-block:1rem}",
    ".mine{border-inline-start-color:#00703c;background:#fff;border-block:1px solid #b1b4b6;",
    "border-inline-end:1px solid #b1b4b6}",
    ".meta{color:#505a5f;font-size:1rem;margin:0 0 .5rem}",
    ".meta bdi{white-space:nowrap}",
    ".draft{font-size:1rem;margin:.5rem 0 0}",
    ".text{white-space:pre-wrap;margin:0 0 .5rem}",
    "footer{border-top:1px solid #b1b4b6;padding-block:1rem 2rem;color:#505a5f;font-size:1rem}",
);

/// The CSP source expression allowing [`STYLE`]: `'sha256-…'` (SHA-256, standard base64), for
/// `style-src` in the `Content-Security-Policy` header.
pub fn style_csp_source() -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, STYLE.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_source_is_a_quoted_sha256_of_the_style() {
        let source = style_csp_source();
        assert!(
            source.starts_with("'sha256-") && source.ends_with('\''),
            "{source}"
        );
        let encoded = &source["'sha256-".len()..source.len() - 1];
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap_or_default();
        assert_eq!(decoded.len(), 32);
        assert_ne!(
            style_csp_source(),
            {
                let other = ring::digest::digest(&ring::digest::SHA256, b"body{}");
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(other.as_ref())
                )
            },
            "the hash depends on the style text"
        );
    }

    #[test]
    fn style_cannot_end_its_element_or_load_anything() {
        let lower = STYLE.to_ascii_lowercase();
        for forbidden in [
            "</",
            "<!--",
            "url(",
            "@import",
            "@font-face",
            "http",
            "expression(",
        ] {
            assert!(!lower.contains(forbidden), "style contains {forbidden:?}");
        }
    }

    #[test]
    fn exit_bar_is_pinned_on_every_screen_and_on_the_same_side_in_every_direction() {
        let rule = ".exit-bar{position:sticky;top:0;";
        let at = STYLE.find(rule).unwrap_or_else(|| panic!("no rule {rule}"));
        let before = &STYLE[..at];
        assert_eq!(
            before.matches('{').count(),
            before.matches('}').count(),
            "the sticky rule is not inside a media query"
        );
        assert!(STYLE.contains("[dir=rtl] .exit-bar{flex-direction:row-reverse}"));
    }

    #[test]
    fn style_uses_logical_properties_for_horizontal_space() {
        for physical in [
            "margin-left",
            "margin-right",
            "padding-left",
            "padding-right",
            "text-align:left",
            "text-align:right",
            "float:",
            "border-left",
            "border-right",
            "left:",
            "right:",
        ] {
            assert!(
                !STYLE.contains(physical),
                "style uses {physical:?}; use the logical property"
            );
        }
    }
}
