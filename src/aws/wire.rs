//! AWS enumerations decoded once, at the boundary.
//!
//! `wire_enum!` declares an enum of the values AWS documents plus `Unknown(String)`, so a value
//! AWS adds later is carried through as text instead of breaking a read.

/// Declares `enum Name { Variant, ..., Unknown(String) }` with `from_wire`, `as_str`, `Display`
/// and `From<&str>`. Each variant is written `Variant = "WIRE_VALUE"`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this provider does not know, kept as AWS sent it.
            Unknown(String),
        }

        impl $name {
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests;
