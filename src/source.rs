//! The program's text as every stage reads it: one kind of line end, whatever the file had.

/// `source` with each lone `\r` (an old Mac line end) made a `\n`, as the grammar reads it.
/// Byte offsets do not move, so spans stay valid; everything that counts lines by `\n` (line
/// numbers, the lines shown in errors) is then right for `\n`, `\r\n` and `\r` files alike.
pub fn unify_line_ends(source: &str) -> std::borrow::Cow<'_, str> {
    if !source.contains('\r') {
        return source.into();
    }
    let mut unified = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        let lone = c == '\r' && chars.peek() != Some(&'\n');
        unified.push(if lone { '\n' } else { c });
    }
    unified.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(unify_line_ends("a\rb\r\nc\n"), "a\nb\r\nc\n");
        assert!(matches!(
            unify_line_ends("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
