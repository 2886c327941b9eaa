//! What a deploy reports: one [`Change`] per resource, `created`, `updated` or `unchanged`.

/// What a run did to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// It did not exist and was made.
    Created,
    /// It existed and was changed.
    Updated,
    /// It existed as wanted.
    Unchanged,
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Unchanged => "unchanged",
        })
    }
}

/// One line of a deploy's report: `function wine-quality: updated (code)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The resource, e.g. `role lambda-ex`.
    pub resource: String,
    /// What happened to it.
    pub kind: ChangeKind,
    /// Details (an ARN, a URL, what changed); may be empty.
    pub detail: String,
}

impl Change {
    /// A change with a detail.
    pub fn new(resource: impl Into<String>, kind: ChangeKind, detail: impl Into<String>) -> Change {
        Change { resource: resource.into(), kind, detail: detail.into() }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.resource, self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}
