//! Lexical path arithmetic on `/`-separated strings: no file-system access,
//! so the core can reason about links without touching the disk.

/// Resolves `.` and `..` and repeated separators; keeps a leading `/`.
pub fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The folder part of a path (`/a/b/c.md` → `/a/b`).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `base` joined with a relative `target`, normalised; an absolute target stays as it is.
pub fn join(base: &str, target: &str) -> String {
    if target.starts_with('/') {
        normalize_path(target)
    } else {
        normalize_path(&format!("{base}/{target}"))
    }
}

/// Decodes `%20`-style escapes in a link target; invalid escapes stay as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_dots_and_separators() {
        assert_eq!(normalize_path("/w/notes/../seeds//./a.txt"), "/w/seeds/a.txt");
        assert_eq!(normalize_path("/../a"), "/a");
        assert_eq!(normalize_path("a/../../b"), "../b");
        assert_eq!(join("/w/notes", "../seeds/003.txt"), "/w/seeds/003.txt");
        assert_eq!(parent("/w/notes/a.md"), "/w/notes");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b%C3%A9.txt"), "a bé.txt");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
