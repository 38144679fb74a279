//! Named choices: the enums a user picks by name (in a scenario or on the command line), with
//! the name of each value and a line of help. The command line builds its parsers from this, so
//! the core enums know nothing of the command-line crate.

/// An enum whose values a user names.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order help lists them.
    const ALL: &'static [Self];
    /// The name on the command line.
    fn name(self) -> &'static str;
    /// One line of help, if any.
    fn help(self) -> Option<&'static str> {
        None
    }
    /// The value of a name.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
}

/// Implement [`Choice`] from `Variant => "name"` or `Variant => "name", "help"` pairs.
#[macro_export]
macro_rules! choice {
    ($t:ty { $($v:ident => $name:literal $(, $help:literal)?);+ $(;)? }) => {
        impl $crate::choice::Choice for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),+];
            fn name(self) -> &'static str {
                match self { $(<$t>::$v => $name),+ }
            }
            fn help(self) -> Option<&'static str> {
                match self { $(<$t>::$v => $crate::choice!(@help $($help)?)),+ }
            }
        }
    };
    (@help) => { None };
    (@help $h:literal) => { Some($h) };
}
