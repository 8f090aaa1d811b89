//! The dashboard's HTML: escaping, the page frame (navigation, sign-out), the stylesheet.

use std::fmt::Write;

use guardrail_store::Role;

use super::Session;

/// The stylesheet, served at [`super::CSS_PATH`] and cached by the browser.
pub const CSS: &str = include_str!("dashboard.css");

/// `text` safe in HTML text and in double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as one path segment of a link (everything but unreserved characters escaped).
pub fn url_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A date and time in UTC, `YYYY-MM-DD HH:MM`.
pub fn when(secs: i64) -> String {
    let day = crate::exemptions::date_of(secs);
    let rest = secs.rem_euclid(86_400);
    format!("{day} {:02}:{:02}", rest / 3600, rest % 3600 / 60)
}

/// The hidden CSRF field of a form posted by a signed-in user.
pub fn csrf_field(session: &Session) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(&session.csrf)
    )
}

/// A whole page: the frame with the navigation (when signed in) around `body`.
pub fn frame(title: &str, session: Option<&Session>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · guardrail</title><link rel="stylesheet" href="{}"></head>
<body><header class="top"><a class="brand" href="/">guardrail</a>"#,
        esc(title),
        super::CSS_PATH
    );
    if let Some(s) = session {
        let role = s.principal.user.role;
        let _ = write!(
            out,
            r#"<nav aria-label="main"><a href="/">Overview</a><a href="/exemptions">Exemptions</a><a href="/simulate">Simulate</a></nav>
<div class="who"><span data-org="{org}">{org}</span> · <span data-user="{user}">{user}</span> <span class="role" data-role="{role}">{role}</span>
<form method="post" action="/logout" class="inline">{csrf}<button type="submit">Sign out</button></form></div>"#,
            org = esc(&s.principal.org.name),
            user = esc(&s.principal.user.name),
            role = role.as_str(),
            csrf = csrf_field(s),
        );
    }
    let _ = write!(
        out,
        "</header>\n<main>\n<h1>{}</h1>\n{body}\n</main></body></html>\n",
        esc(title)
    );
    out
}

/// Whether the role may decide exemptions (approve, deny): who the API lets do it.
pub fn decides(role: Role) -> bool {
    crate::api::Access::Publish.allows(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(url_part("AWS-S3-001"), "AWS-S3-001");
        assert_eq!(url_part("a/b c"), "a%2Fb%20c");
        assert_eq!(when(86_400 + 3_660), "1970-01-02 01:01");
    }
}
