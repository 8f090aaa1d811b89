//! A small, lenient scanner of HCL's structure: blocks (type, labels, line, body) and arguments
//! (name, line, the text of the expression). It reads no expression beyond skipping it whole
//! (strings with `${…}` templates, heredocs, comments, nested brackets), which is all that
//! mapping resources and properties to lines needs; text it cannot read is skipped up to the
//! end of its line, never an error.

/// One item of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// `name = expression`.
    Attribute {
        /// The argument's name.
        name: String,
        /// Its 1-based line.
        line: usize,
        /// The expression's text, trimmed.
        value: String,
    },
    /// `type "label" … { body }`.
    Block {
        /// The block type (`resource`, `ingress`, …).
        kind: String,
        /// The labels, unquoted.
        labels: Vec<String>,
        /// The 1-based line of the block's header.
        line: usize,
        /// What the block holds.
        body: Vec<Item>,
    },
}

/// Nested bodies deeper than this are skipped (no real configuration comes near it).
const MAX_DEPTH: usize = 64;

struct Scanner<'t> {
    text: &'t [u8],
    pos: usize,
    line: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl<'t> Scanner<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.text.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) {
        if self.peek() == Some(b'\n') {
            self.line += 1;
        }
        self.pos += 1;
    }

    fn slice(&self, from: usize, to: usize) -> &'t str {
        self.text
            .get(from..to)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Skips a comment at the position, if there is one; whether it did.
    fn skip_comment(&mut self) -> bool {
        match (self.peek(), self.peek_at(1)) {
            (Some(b'#'), _) | (Some(b'/'), Some(b'/')) => {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.bump();
                }
                true
            }
            (Some(b'/'), Some(b'*')) => {
                self.bump();
                self.bump();
                while let Some(b) = self.peek() {
                    if b == b'*' && self.peek_at(1) == Some(b'/') {
                        self.bump();
                        self.bump();
                        break;
                    }
                    self.bump();
                }
                true
            }
            _ => false,
        }
    }

    /// Skips spaces and comments; newlines too when `newlines`.
    fn skip_blank(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.bump(),
                Some(b'\n') if newlines => self.bump(),
                _ if self.skip_comment() => {}
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> Option<&'t str> {
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        let start = self.pos;
        while self.peek().is_some_and(is_ident) {
            self.bump();
        }
        Some(self.slice(start, self.pos))
    }

    /// Skips a quoted string (at its opening quote), templates included; returns its text
    /// between the quotes.
    fn string(&mut self) -> String {
        self.bump();
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    let text = self.slice(start, self.pos).to_string();
                    self.bump();
                    return text;
                }
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                b'$' | b'%' if self.peek_at(1) == Some(b) => {
                    // `$${` and `%%{` are literal
                    self.bump();
                    self.bump();
                }
                b'$' | b'%' if self.peek_at(1) == Some(b'{') => {
                    self.bump();
                    self.bump();
                    self.expression(true);
                    if self.peek() == Some(b'}') {
                        self.bump();
                    }
                }
                b'\n' => return self.slice(start, self.pos).to_string(),
                _ => self.bump(),
            }
        }
        self.slice(start, self.pos).to_string()
    }

    /// Skips a heredoc (at `<<`): its header line and its lines up to the closing marker.
    fn heredoc(&mut self) -> bool {
        let save = (self.pos, self.line);
        self.bump();
        self.bump();
        if self.peek() == Some(b'-') {
            self.bump();
        }
        let Some(marker) = self.ident() else {
            (self.pos, self.line) = save;
            return false;
        };
        let marker = marker.to_string();
        while self.peek().is_some_and(|b| b != b'\n') {
            self.bump();
        }
        while self.peek().is_some() {
            self.bump(); // the newline
            let start = self.pos;
            while self.peek().is_some_and(|b| b != b'\n') {
                self.bump();
            }
            if self.slice(start, self.pos).trim() == marker {
                return true;
            }
        }
        true
    }

    /// Skips an expression: up to the end of its line outside brackets, or (when `closing`) up
    /// to the `}` that closes the enclosing template or body, which it leaves unread.
    fn expression(&mut self, closing: bool) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'\n' if depth == 0 && !closing => return,
                b'"' => {
                    self.string();
                }
                b'<' if self.peek_at(1) == Some(b'<') => {
                    if !self.heredoc() {
                        self.bump();
                    }
                }
                b'#' | b'/' if self.skip_comment() => {}
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.bump();
                }
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.bump();
                }
                _ => self.bump(),
            }
        }
    }

    /// Reads a body up to its closing `}` (consumed) or the end of the text.
    fn body(&mut self, depth: usize) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            self.skip_blank(true);
            let Some(b) = self.peek() else {
                return items;
            };
            if b == b'}' {
                self.bump();
                return items;
            }
            let line = self.line;
            let Some(name) = self.ident() else {
                // not an item: skip the line (a stray token of a construct this scanner does
                // not read)
                self.expression(false);
                if self.peek() == Some(b'}') && depth > 0 {
                    self.bump();
                    return items;
                }
                if self.peek().is_some_and(|b| b != b'\n') {
                    self.bump();
                }
                continue;
            };
            let name = name.to_string();
            self.skip_blank(false);
            match self.peek() {
                Some(b'=') if self.peek_at(1) != Some(b'=') => {
                    self.bump();
                    self.skip_blank(false);
                    let start = self.pos;
                    self.expression(false);
                    let value = self.slice(start, self.pos).trim().to_string();
                    items.push(Item::Attribute { name, line, value });
                }
                Some(b'"' | b'{') | Some(b'a'..=b'z' | b'A'..=b'Z' | b'_') => {
                    let mut labels = Vec::new();
                    loop {
                        self.skip_blank(false);
                        match self.peek() {
                            Some(b'"') => labels.push(self.string()),
                            Some(b) if is_ident_start(b) => {
                                labels.push(self.ident().unwrap_or_default().to_string());
                            }
                            _ => break,
                        }
                    }
                    if self.peek() != Some(b'{') {
                        self.expression(false);
                        continue;
                    }
                    self.bump();
                    let body = if depth >= MAX_DEPTH {
                        self.pos -= 1;
                        self.expression(false);
                        Vec::new()
                    } else {
                        self.body(depth + 1)
                    };
                    items.push(Item::Block {
                        kind: name,
                        labels,
                        line,
                        body,
                    });
                }
                _ => self.expression(false),
            }
        }
    }
}

/// The items of a configuration file's text.
pub(crate) fn parse(text: &str) -> Vec<Item> {
    let mut scanner = Scanner {
        text: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut items = Vec::new();
    // a stray `}` at the top level closes nothing: read on
    while scanner.peek().is_some() {
        items.extend(scanner.body(0));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<'a>(items: &'a [Item], kind: &str) -> Vec<&'a Item> {
        items
            .iter()
            .filter(|i| matches!(i, Item::Block { kind: k, .. } if k == kind))
            .collect()
    }

    #[test]
    fn reads_blocks_arguments_and_their_lines() {
        let text = r#"# a comment { with a brace
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}-{x}"   // trailing } comment
  tags = {
    Name = "a"
  }
  policy = <<-EOT
    { "Statement": [ }
  EOT
  /* block
     comment } */
  versioning { enabled = true }
  ingress {
    cidr_blocks = [
      "0.0.0.0/0",
    ]
  }
}

data "aws_iam_policy_document" "p" {}
module "net" {
  source = "./modules/net"
}
"#;
        let items = parse(text);
        assert_eq!(items.len(), 3, "{items:#?}");
        let Item::Block {
            kind,
            labels,
            line,
            body,
        } = &items[0]
        else {
            panic!("{items:#?}")
        };
        assert_eq!((kind.as_str(), line), ("resource", &2));
        assert_eq!(labels, &["aws_s3_bucket", "logs"]);
        let lines: Vec<(String, usize)> = body
            .iter()
            .map(|i| match i {
                Item::Attribute { name, line, .. } => (name.clone(), *line),
                Item::Block { kind, line, .. } => (kind.clone(), *line),
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("bucket".to_string(), 3),
                ("tags".to_string(), 4),
                ("policy".to_string(), 7),
                ("versioning".to_string(), 12),
                ("ingress".to_string(), 13),
            ]
        );
        let Item::Block { body: v, .. } = block(body, "versioning")[0] else {
            panic!()
        };
        assert!(
            matches!(&v[0], Item::Attribute { name, line: 12, value } if name == "enabled" && value == "true")
        );
        let Item::Block { body: ing, .. } = block(body, "ingress")[0] else {
            panic!()
        };
        assert!(matches!(&ing[0], Item::Attribute { line: 14, .. }));
        let Item::Block { labels, line, .. } = &items[2] else {
            panic!()
        };
        assert_eq!((labels.as_slice(), *line), (&["net".to_string()][..], 21));
        let Item::Block { body, .. } = &items[2] else {
            panic!()
        };
        assert!(
            matches!(&body[0], Item::Attribute { name, value, .. } if name == "source" && value == "\"./modules/net\"")
        );
    }

    #[test]
    fn ends_on_any_mix_of_tokens() {
        // pseudo-random texts of HCL's pieces, stray and unbalanced: the scanner ends on each
        // and reports lines within the text
        const PIECES: &[&str] = &[
            "resource", " \"a\"", "{", "}", "\n", "=", "x", "\"", "${", "%{", "<<EOT\n", "EOT\n",
            "<<-", "#", "//", "/*", "*/", "[", "]", "(", ")", ",", "dynamic", "content", "\\",
            "$$", " ", "==", "é",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let n = (seed >> 58) as usize + 1;
            for _ in 0..n {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            let lines = text.lines().count() + 1;
            fn check(items: &[Item], lines: usize, text: &str) {
                for item in items {
                    match item {
                        Item::Attribute { line, .. } => assert!(*line <= lines, "{text:?}"),
                        Item::Block { line, body, .. } => {
                            assert!(*line <= lines, "{text:?}");
                            check(body, lines, text);
                        }
                    }
                }
            }
            check(&parse(&text), lines, &text);
        }
    }

    #[test]
    fn survives_text_it_cannot_read() {
        let items = parse("}}\n= = 3\nresource \"a\" \"b\" {\n  x = \"unterminated\n  y = 1\n}\n");
        let [Item::Block { body, .. }] = items.as_slice() else {
            panic!("{items:#?}")
        };
        assert!(body
            .iter()
            .any(|i| matches!(i, Item::Attribute { name, line: 5, .. } if name == "y")));
        assert!(parse("resource \"a\" \"b\" {").len() == 1);
        assert!(parse("").is_empty());
    }
}
