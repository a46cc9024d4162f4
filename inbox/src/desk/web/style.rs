//! The desk's one style sheet, inlined in every page's single `<style>` element and allowed by the CSP
//! through its hash, so a page is one request with no subresource and no inline style elsewhere.
//! Sizes are in `rem` and layouts wrap, so pages work at 320 px and at 200 % zoom; focus is a thick
//! black-and-yellow ring; colours meet WCAG AA contrast.

use base64::Engine as _;

/// The style sheet, byte for byte. Change it freely: the CSP hash follows.
pub(super) const STYLE: &str = concat!(
    "*,*::before,*::after{box-sizing:border-box}",
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}",
    "body{margin:0;font:1.0625rem/1.5 system-ui,sans-serif;color:#0b0c0c;background:#fff;overflow-wrap:break-word}",
    ".w{max-width:60rem;margin-inline:auto;padding-inline:1rem}",
    ".skip{position:absolute;inset-inline-start:-999rem}",
    ".skip:focus{position:static;display:inline-block;padding:.5rem 1rem;margin:.5rem 0;background:#fd0;color:#0b0c0c}",
    "header{background:#0b0c0c;color:#fff;padding-block:.5rem}",
    "header a,header a:visited{color:#fff}",
    ".bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between}",
    ".home{font-weight:700}",
    "nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}",
    "nav li{margin:0}",
    ".later{color:#d2d2d2}",
    "header form{margin:0}",
    "header button{background:#fff;color:#0b0c0c;box-shadow:none;min-height:2.5rem;padding:.4rem 1rem}",
    "main{display:block;padding-block:.5rem 2rem}",
    "h1{font-size:1.75rem;line-height:1.2;margin:1rem 0}",
    "h2{font-size:1.375rem;line-height:1.25;margin:2rem 0 .75rem}",
    "p,ul,dl{margin-block:0 1rem}",
    "a{color:#1d4f91}",
    ":focus{outline:3px solid #0b0c0c;outline-offset:1px;box-shadow:0 0 0 7px #fd0}",
    "a:focus,button:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c}",
    "button{display:inline-block;font:inherit;font-weight:700;line-height:1.3;background:#00703c;color:#fff;",
    "border:2px solid transparent;border-radius:.3rem;padding:.6rem 1.1rem;min-height:2.75rem;cursor:pointer;",
    "box-shadow:0 2px #002d18}",
    ".danger{background:#b10e1e;box-shadow:0 2px #55070e}",
    ".field{margin-block:1.25rem}",
    ".field>label{display:block;font-weight:700;margin-bottom:.25rem}",
    ".hint{color:#505a5f;margin:0 0 .5rem}",
    "input,select{font:inherit;color:#0b0c0c;background:#fff;border:2px solid #0b0c0c;border-radius:0;",
    "padding:.5rem;max-width:100%}",
    "input[type=text],input[type=password]{width:100%;max-width:30rem}",
    ".short{max-width:10rem}",
    ".box{border-inline-start:.5rem solid #1d4f91;background:#f3f2f1;padding:1rem;margin-block:1rem 1.5rem}",
    ".box>:last-child{margin-bottom:0}",
    ".errors{border:4px solid #b10e1e;padding:1rem;margin-block:1rem 1.5rem}",
    ".errors h2{margin-top:0}",
    ".ok{border-inline-start-color:#00703c;background:#eef7f1}",
    ".secret{font:700 1.25rem/1.5 ui-monospace,monospace;letter-spacing:.05em;overflow-wrap:anywhere}",
    ".qr svg{width:15rem;height:15rem;max-width:100%}",
    "dt{font-weight:700}",
    "dd{margin:0 0 .75rem}",
    ".table{overflow-x:auto}",
    "table{border-collapse:collapse;width:100%}",
    "th,td{text-align:start;vertical-align:top;padding:.5rem;border-bottom:1px solid #b1b4b6}",
    "td form{display:inline-block;margin:0 .5rem .25rem 0}",
    "td button{min-height:2.25rem;padding:.3rem .8rem}",
    "textarea{font:inherit;color:#0b0c0c;background:#fff;border:2px solid #0b0c0c;border-radius:0;",
    "padding:.5rem;width:100%;max-width:40rem}",
    "caption{text-align:start;font-weight:700;padding-block:.5rem}",
    ".views{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}",
    ".views [aria-current]{font-weight:700;text-decoration-thickness:3px}",
    "nav [aria-current]{font-weight:700}",
    ".flag{display:inline-block;background:#b10e1e;color:#fff;padding:0 .4rem;text-transform:uppercase;letter-spacing:.03em}",
    "tr.urgent>th{border-inline-start:.5rem solid #b10e1e}",
    ".urgent-banner{border:4px solid #b10e1e;padding:.75rem}",
    ".conversation{list-style:none;padding:0}",
    ".entry{border:1px solid #b1b4b6;border-inline-start-width:.5rem;padding:.75rem 1rem;margin-block:0 1rem}",
    ".entry p{margin-block:0 .5rem}",
    ".entry .text{white-space:pre-wrap}",
    ".entry.visitor{border-inline-start-color:#1d4f91}",
    ".entry.reply{border-inline-start-color:#00703c;margin-inline-start:1.5rem}",
    ".entry.note{border:2px dashed #6f5100;border-inline-start:.5rem solid #6f5100;background:#fff7d6}",
    ".meta{color:#383f43}",
    // Under 40rem (320 px at 200 % zoom included) each row of a queue is a card, each cell with its column.
    "@media (max-width:40rem){",
    ".cards thead{position:absolute;inset-inline-start:-999rem}",
    ".cards tr,.cards th,.cards td{display:block}",
    ".cards tr{border:2px solid #b1b4b6;margin-block-end:1rem}",
    ".cards td,.cards th{border-bottom:0;padding:.25rem .5rem}",
    ".cards td::before{content:attr(data-label) \": \";font-weight:700}",
    ".entry.reply{margin-inline-start:0}",
    "}",
    // Printed, a case is the case to pass on: no menu, no forms.
    "@media print{header,.skip,.no-print,form{display:none}a{color:#0b0c0c}.entry{break-inside:avoid}}",
);

/// The CSP source expression allowing [`STYLE`]: `'sha256-…'`.
pub(super) fn style_csp_source() -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, STYLE.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}
