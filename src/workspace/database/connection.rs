//! Where the archive is and how to reach it: the URL as the user wrote it (never shown with its
//! password), credentials from the environment or `~/.pgpass` as libpq finds them, and connecting
//! with retries while the database is starting or briefly away.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{anyhow, Result};
use postgres::config::Host;

/// The environment variable that names the archive when `noteproof.json` does not.
pub const DATABASE_ENV: &str = "NOTEPROOF_DATABASE_URL";

/// How long one attempt to connect may take before it counts as failed.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection string as the user wrote it (`postgresql://user:secret@host/db` or
/// `host=… dbname=…`). It prints only with its password masked, so that no log, message or
/// panic can show it.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(url.into().trim().to_string())
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }

    /// The client configuration: the URL's settings, then the libpq environment variables and
    /// `~/.pgpass` for what it leaves out.
    pub fn client_config(&self) -> Result<postgres::Config> {
        // The parser's messages name the option at fault, never its value.
        let mut config: postgres::Config =
            self.0.parse().map_err(|error| anyhow!("the database URL {} is not valid: {error}", self.redacted()))?;
        let env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(host) if host.starts_with('/') => config.host_path(host),
                Some(host) => config.host(&host),
                None if std::path::Path::new("/var/run/postgresql").is_dir() => config.host_path("/var/run/postgresql"),
                None => config.host("localhost"),
            };
        }
        if config.get_ports().is_empty() {
            if let Some(port) = env("PGPORT").and_then(|port| port.parse::<u16>().ok()) {
                config.port(port);
            }
        }
        if config.get_user().is_none() {
            if let Some(user) = env("PGUSER") {
                config.user(&user);
            }
        }
        if config.get_dbname().is_none() {
            if let Some(dbname) = env("PGDATABASE") {
                config.dbname(&dbname);
            }
        }
        if config.get_password().is_none() {
            if let Some(password) = env("PGPASSWORD").or_else(|| pgpass_password(&config)) {
                config.password(password);
            }
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        Ok(config)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

/// Masks the password of a URL (`scheme://user:secret@…`), of a `password=` setting in its query
/// or in a key/value string.
fn redact(url: &str) -> String {
    let mut text = url.to_string();
    if let Some(scheme_end) = text.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = text[authority_start..].find(['/', '?']).map_or(text.len(), |end| authority_start + end);
        // The last `@` ends the user information: a password may itself hold `@` only encoded, but
        // take no chances with a raw one.
        if let Some(at) = text[authority_start..authority_end].rfind('@') {
            let user_info = &text[authority_start..authority_start + at];
            if let Some(colon) = user_info.find(':') {
                text.replace_range(authority_start + colon + 1..authority_start + at, "***");
            }
        }
    }
    mask_password_settings(&text)
}

/// `password=secret` (in a query or a key/value string, quoted or not) becomes `password=***`.
fn mask_password_settings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = find_password_key(rest) {
        let value_start = found + "password".len();
        let after_key = &rest[value_start..];
        let spaces = after_key.len() - after_key.trim_start().len();
        let Some(after_equals) = after_key.trim_start().strip_prefix('=') else {
            out.push_str(&rest[..value_start]);
            rest = &rest[value_start..];
            continue;
        };
        let value = after_equals.trim_start();
        let value_offset = value_start + spaces + 1 + (after_equals.len() - value.len());
        out.push_str(&rest[..value_offset]);
        out.push_str("***");
        rest = &rest[value_offset + value_length(value)..];
    }
    out.push_str(rest);
    out
}

/// Where the next `password` key starts: at the start, or after a space, `?`, `&` or `;`.
fn find_password_key(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("password") {
        let at = from + found;
        if at == 0 || matches!(lower.as_bytes()[at - 1], b' ' | b'?' | b'&' | b';' | b'\t') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The length of a setting's value: quoted (with `\'` escapes) up to its closing quote, else up
/// to the next space or `&`.
fn value_length(value: &str) -> usize {
    if let Some(quoted) = value.strip_prefix('\'') {
        let mut escaped = false;
        for (i, c) in quoted.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '\'' if !escaped => return i + 2,
                _ => escaped = false,
            }
        }
        return value.len();
    }
    value.find([' ', '&', '\t']).unwrap_or(value.len())
}

/// The password `~/.pgpass` (or `$PGPASSFILE`) gives for this connection, as libpq reads it.
fn pgpass_password(config: &postgres::Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first()? {
        Host::Tcp(host) => host.clone(),
        // libpq matches a socket connection against `localhost`.
        Host::Unix(_) => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().map(str::to_string).or_else(|| std::env::var("USER").ok())?;
    let dbname = config.get_dbname().unwrap_or(&user).to_string();
    pgpass_lookup(&text, [&host, &port, &dbname, &user])
}

/// The first line of a pgpass file whose four fields match (`*` matches anything).
pub(crate) fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines().filter(|line| !line.trim_start().starts_with('#')).find_map(|line| {
        let fields = split_pgpass_line(line);
        if fields.len() < 5 {
            return None;
        }
        let matches = fields.iter().zip(wanted).all(|(field, wanted)| field == "*" || field == wanted);
        matches.then(|| fields[4..].join(":"))
    })
}

/// A pgpass line's fields, split at unescaped `:` (`\:` and `\\` are literal).
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().unwrap().extend(chars.next()),
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// How many times to try, and how long to wait between tries (doubling).
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    pub attempts: u32,
    pub first_wait: Duration,
}

impl Retry {
    /// For a command: a database still starting gets a few seconds.
    pub const COMMAND: Retry = Retry { attempts: 4, first_wait: Duration::from_millis(500) };
    pub const ONCE: Retry = Retry { attempts: 1, first_wait: Duration::ZERO };
}

/// A connection (no TLS: a team's archive is reached over a trusted network or a socket).
pub fn connect(url: &DatabaseUrl, retry: Retry) -> Result<postgres::Client> {
    let config = url.client_config()?;
    let mut wait = retry.first_wait;
    let mut attempt = 1;
    loop {
        match config.connect(postgres::NoTls) {
            Ok(client) => return Ok(client),
            // The server answered: a wrong password or a missing database is not cured by waiting.
            Err(error) if error.as_db_error().is_some() => {
                return Err(anyhow!("the database {url} refused the connection: {}", describe(&error)));
            }
            Err(error) if attempt >= retry.attempts => {
                let tries = if attempt == 1 { String::new() } else { format!(" (tried {attempt} times)") };
                return Err(anyhow!("cannot reach the database {url}{tries}: {}", describe(&error)));
            }
            Err(_) => {
                std::thread::sleep(wait);
                wait *= 2;
                attempt += 1;
            }
        }
    }
}

/// A database error in plain words: the server's own message when it sent one.
pub fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let text = error.to_string();
            let source = std::error::Error::source(error).map(|s| s.to_string());
            match source {
                Some(source) if !text.contains(&source) => format!("{text}: {source}"),
                _ => text,
            }
        }
    }
}

/// A database error with the server's words, naming the archive (without its password).
pub fn database_error(url: &DatabaseUrl, error: anyhow::Error) -> anyhow::Error {
    match error.downcast_ref::<postgres::Error>() {
        Some(db) => anyhow::anyhow!("the database {url} refused: {}", describe(db)),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_print() {
        let cases = [
            ("postgresql://reader:s3cr&t@db.example:5432/news", "postgresql://reader:***@db.example:5432/news"),
            ("postgres://reader@db/news?password=hunter2&sslmode=disable", "postgres://reader@db/news?password=***&sslmode=disable"),
            ("host=/tmp dbname=news password='it\\'s secret' user=reader", "host=/tmp dbname=news password=*** user=reader"),
            ("host=db Password = plain user=x", "host=db Password = *** user=x"),
            ("postgresql://reader@db/news", "postgresql://reader@db/news"),
            ("host=db passwordless=1", "host=db passwordless=1"),
        ];
        for (url, shown) in cases {
            let url = DatabaseUrl::new(url);
            assert_eq!(url.redacted(), shown);
            assert_eq!(format!("{url}"), shown);
            assert_eq!(format!("{url:?}"), format!("DatabaseUrl({shown})"));
        }
    }

    #[test]
    fn an_invalid_url_is_named_without_its_password() {
        let error = DatabaseUrl::new("postgresql://reader:hunter2@db:notaport/news").client_config().unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("postgresql://reader:***@db:notaport/news"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn pgpass_lines_match_field_by_field_with_wildcards_and_escapes() {
        let text = "# comment\ndb:5432:news:writer:w\\:pass\n*:*:news:reader:r:pass\nlocalhost:*:*:*:local\n";
        assert_eq!(pgpass_lookup(text, ["db", "5432", "news", "writer"]).as_deref(), Some("w:pass"));
        assert_eq!(pgpass_lookup(text, ["other", "6543", "news", "reader"]).as_deref(), Some("r:pass"));
        assert_eq!(pgpass_lookup(text, ["localhost", "5433", "x", "y"]).as_deref(), Some("local"));
        assert_eq!(pgpass_lookup(text, ["db", "5432", "archive", "writer"]), None);
    }
}
