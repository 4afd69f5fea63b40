//! Errors other than problems in the content: what the file system or a template said, with
//! the chain of causes kept, so that the binary can print "error: ... caused by: ...".
//!
//! Problems in the content are [`crate::Diagnostic`]s with a location; these are for the rest
//! (an output that may not be replaced, a disk that is full, a template that does not parse).

use std::fmt;

/// What went wrong (`message`), and why, when something below said so (`cause`).
#[derive(Debug)]
pub struct Error {
    message: String,
    cause: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error with no cause below it.
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            cause: None,
        }
    }

    /// `message`, caused by `cause`.
    pub(crate) fn caused_by(
        message: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error {
            message: message.into(),
            cause: Some(Box::new(cause)),
        }
    }

    /// The message, then each cause on a line of its own: `... \n  caused by: ...`.
    pub fn with_causes(&self) -> String {
        let mut text = self.message.clone();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(&format!("\n  caused by: {c}"));
            cause = c.source();
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::new(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_listed_one_per_line() {
        let io = std::io::Error::other("disk full");
        let inner = Error::caused_by("cannot write public/index.html", io);
        let outer = Error::caused_by("cannot publish the site", inner);
        assert_eq!(
            outer.with_causes(),
            "cannot publish the site\n  caused by: cannot write public/index.html\n  caused by: disk full"
        );
        assert_eq!(Error::new("plain").with_causes(), "plain");
    }
}
