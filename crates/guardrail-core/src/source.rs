//! Where a resource is written in the program's source: the `.tf` file and line of its block,
//! or the position where a Pulumi program registers it. Reports point there instead of at the
//! generated plan file, which is not part of a pull request.

/// A resource's place in its source, with the lines of the arguments and nested blocks written
/// in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file, as reports show it: relative to the working directory when it is below it.
    pub file: String,
    /// The 1-based line of the block (Terraform) or of the registration (Pulumi).
    pub line: usize,
    /// The 1-based column, when the source gives one.
    pub column: Option<usize>,
    /// Lines of what the block writes, by folded property path (see [`SourceLocation::line_of`]):
    /// an argument as `name`, the `i`-th nested block of a kind as `name[i]`, the blocks a
    /// `dynamic` block generates as `name[*]`, nested parts joined with `.`
    /// (`ingress[1].cidrblocks`). Names are folded: lowercase, without `_`.
    pub properties: Vec<(String, usize)>,
}

/// A property name as [`SourceLocation::properties`] keys it: ASCII lowercase without `_`, so
/// that Terraform's `cidr_blocks` and Pulumi's `cidrBlocks` meet.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// One step of a property path: a name, and the list index that follows it, if any.
fn path_steps(path: &str) -> Vec<(String, Option<usize>)> {
    let mut steps: Vec<(String, Option<usize>)> = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').unwrap_or(after.len());
            let inner = after.get(..end).unwrap_or_default();
            rest = after.get(end + 1..).unwrap_or_default();
            if let Ok(i) = inner.parse::<usize>() {
                match steps.last_mut() {
                    Some(last) if last.1.is_none() => last.1 = Some(i),
                    _ => steps.push((String::new(), Some(i))),
                }
            } else {
                steps.push((inner.trim_matches(['"', '\'']).to_string(), None));
            }
        } else if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            steps.push((rest.get(..end).unwrap_or_default().to_string(), None));
            rest = rest.get(end..).unwrap_or_default();
        }
    }
    steps
}

impl SourceLocation {
    /// A location of a block or registration, with no property lines.
    pub fn new(file: impl Into<String>, line: usize) -> Self {
        SourceLocation {
            file: file.into(),
            line,
            column: None,
            properties: Vec::new(),
        }
    }

    fn property(&self, key: &str) -> Option<usize> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, line)| *line)
    }

    /// The line where a finding's property path is written: the deepest nested block of the
    /// path that the source writes, or the argument's own line when the path reaches one
    /// (`versioning[0].enabled`, `ingress[1].cidr_blocks[0]`; a missing index reads as the
    /// first block, as in Pulumi's `versioning.enabled`). The block's line when the path is
    /// absent or nothing of it is written.
    pub fn line_of(&self, path: Option<&str>) -> usize {
        let Some(path) = path else {
            return self.line;
        };
        let mut line = self.line;
        let mut prefix = String::new();
        for (name, index) in path_steps(path) {
            let name = fold_name(&name);
            let base = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}.{name}")
            };
            let block = format!("{base}[{}]", index.unwrap_or(0));
            if let Some(l) = self.property(&block) {
                line = l;
                prefix = block;
                continue;
            }
            let generated = format!("{base}[*]");
            if let Some(l) = self.property(&generated) {
                line = l;
                prefix = generated;
                continue;
            }
            if let Some(l) = self.property(&base) {
                return l;
            }
            break;
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> SourceLocation {
        let mut l = SourceLocation::new("main.tf", 10);
        for (k, line) in [
            ("bucket", 11),
            ("versioning[0]", 12),
            ("versioning[0].enabled", 13),
            ("ingress[0]", 15),
            ("ingress[0].cidrblocks", 17),
            ("ingress[1]", 19),
            ("ingress[1].cidrblocks", 21),
            ("egress[*]", 25),
            ("egress[*].cidrblocks", 27),
        ] {
            l.properties.push((k.to_string(), line));
        }
        l
    }

    #[test]
    fn paths_reach_the_deepest_written_part() {
        let l = location();
        assert_eq!(l.line_of(None), 10);
        assert_eq!(l.line_of(Some("bucket")), 11);
        assert_eq!(l.line_of(Some("versioning[0].enabled")), 13);
        assert_eq!(
            l.line_of(Some("versioning.enabled")),
            13,
            "Pulumi's flattened block"
        );
        assert_eq!(
            l.line_of(Some("versioning[0].mfa_delete")),
            12,
            "the block, unwritten arg"
        );
        assert_eq!(l.line_of(Some("ingress[1].cidr_blocks[0]")), 21);
        assert_eq!(l.line_of(Some("ingress[0].cidrBlocks[0]")), 17);
        assert_eq!(
            l.line_of(Some("ingress[2].cidr_blocks")),
            10,
            "no third block: the resource"
        );
        assert_eq!(
            l.line_of(Some("egress[3].cidr_blocks")),
            27,
            "a dynamic block"
        );
        assert_eq!(l.line_of(Some("tags[\"Name\"]")), 10);
        assert_eq!(l.line_of(Some("server_side_encryption_configuration")), 10);
    }

    #[test]
    fn steps_split_names_and_indices() {
        assert_eq!(
            path_steps("a[1].b_c[0][2][\"k\"].d"),
            vec![
                ("a".to_string(), Some(1)),
                ("b_c".to_string(), Some(0)),
                (String::new(), Some(2)),
                ("k".to_string(), None),
                ("d".to_string(), None),
            ]
        );
    }
}
