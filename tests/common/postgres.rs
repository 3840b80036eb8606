//! A throwaway PostgreSQL cluster for a test: `initdb` in a temporary folder, a server on a free
//! loopback port and a socket in that folder, stopped and removed when dropped. PostgreSQL refuses
//! to run as root, so under root its programs run as the `postgres` user (which Debian's package
//! creates). Connections over TCP need a password (SCRAM), over the socket they are trusted: the
//! test administers over the socket and noteproof connects like a client of a team's server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::scaled;

/// The superuser's password for TCP connections.
pub const ADMIN_PASSWORD: &str = "adm1n-S3cret";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
}

/// The folder of PostgreSQL's server programs: the newest Debian version, else the `PATH`.
fn server_programs() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|bin| bin.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()));
    if let Some(newest) = versions.pop() {
        return newest;
    }
    let on_path = Command::new("sh").args(["-c", "command -v initdb"]).output().expect("sh runs");
    let initdb = String::from_utf8_lossy(&on_path.stdout).trim().to_string();
    assert!(!initdb.is_empty(), "PostgreSQL's server is not installed (`.ci/run` installs the `postgresql` package)");
    Path::new(&initdb).parent().unwrap().to_path_buf()
}

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Cluster {
    pub fn start() -> Cluster {
        let bin = server_programs();
        let dir = tempfile::Builder::new().prefix("noteproof-pg-").tempdir().unwrap();
        let mut cluster = Cluster { dir, bin, port: 0 };
        if is_root() {
            let chown = Command::new("chown").args(["-R", "postgres:postgres"]).arg(cluster.dir.path()).status().unwrap();
            assert!(chown.success(), "cannot give the cluster's folder to the postgres user");
        }
        let password_file = cluster.dir.path().join("password");
        std::fs::write(&password_file, ADMIN_PASSWORD).unwrap();
        cluster.run_ok(
            "initdb",
            &[
                "-D",
                &cluster.data().to_string_lossy(),
                "-U",
                "postgres",
                "--pwfile",
                &password_file.to_string_lossy(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        cluster.start_server();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn socket_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// One of PostgreSQL's programs (as `postgres` under root), to run in the cluster's folder.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        command.args(args).current_dir(self.dir.path()).env_remove("PGPASSWORD").env_remove("PGHOST").env_remove("PGPORT");
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.command(program, args).output().unwrap_or_else(|error| panic!("cannot run {program}: {error}"))
    }

    /// Locks `table` of `database` against every reader until the returned guard is dropped (a
    /// migration or a long maintenance job, as clients see it); returns once the lock is held.
    pub fn lock_table(&self, database: &str, table: &str) -> TableLock {
        use std::io::{BufRead, Write};
        let port = self.port.to_string();
        let socket = self.socket_dir();
        let mut session = self
            .command("psql", &["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", &socket.to_string_lossy(), "-p", &port, "-U", "postgres", "-d", database])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("psql starts");
        let mut stdin = session.stdin.take().unwrap();
        writeln!(stdin, "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT 'locked';").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(session.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "locked", "psql did not take the lock");
        TableLock { session, stdin: Some(stdin) }
    }

    fn run_ok(&self, program: &str, args: &[&str]) -> String {
        let output = self.run(program, args);
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts the server, on a new free port when the last one was taken meanwhile.
    pub fn start_server(&mut self) {
        let timeout = scaled(std::time::Duration::from_secs(60)).as_secs().to_string();
        let mut last = String::new();
        // fsync off risks nothing a test keeps (only an operating-system crash loses data);
        // synchronous_commit stays on: an immediate stop must not lose committed ingests.
        for _ in 0..5 {
            let port = if self.port == 0 { free_port() } else { self.port };
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c full_page_writes=off",
                self.socket_dir().display()
            );
            let log = self.dir.path().join("server.log");
            let output = self.run(
                "pg_ctl",
                &["-D", &self.data().to_string_lossy(), "-l", &log.to_string_lossy(), "-o", &options, "-w", "-t", &timeout, "start"],
            );
            if output.status.success() {
                self.port = port;
                return;
            }
            last = format!("{}{}", String::from_utf8_lossy(&output.stderr), std::fs::read_to_string(&log).unwrap_or_default());
            self.port = 0;
        }
        panic!("PostgreSQL did not start: {last}");
    }

    /// Stops the server at once (as a crash or a network cut looks to clients).
    pub fn stop_server(&self) {
        self.run_ok("pg_ctl", &["-D", &self.data().to_string_lossy(), "-m", "immediate", "-w", "stop"]);
    }

    /// Runs SQL as the superuser over the socket; returns the unaligned, tuples-only output.
    pub fn sql(&self, database: &str, sql: &str) -> String {
        let port = self.port.to_string();
        let socket = self.socket_dir();
        self.run_ok("psql", &["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", &socket.to_string_lossy(), "-p", &port, "-U", "postgres", "-d", database, "-c", sql])
    }

    pub fn create_database(&self, name: &str) {
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
    }

    /// A TCP URL for `user` on `database`, with `password` in it when given.
    pub fn url(&self, user: &str, password: Option<&str>, database: &str) -> String {
        match password {
            Some(password) => format!("postgresql://{user}:{password}@127.0.0.1:{}/{database}", self.port),
            None => format!("postgresql://{user}@127.0.0.1:{}/{database}", self.port),
        }
    }

    /// The superuser's URL, password included.
    pub fn admin_url(&self, database: &str) -> String {
        self.url("postgres", Some(ADMIN_PASSWORD), database)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", &self.data().to_string_lossy(), "-m", "immediate", "-w", "stop"]);
    }
}

/// A table locked by an open transaction of a `psql` session; dropping it rolls back and ends it.
pub struct TableLock {
    session: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
}

impl Drop for TableLock {
    fn drop(&mut self) {
        use std::io::Write;
        if let Some(mut stdin) = self.stdin.take() {
            let _ = writeln!(stdin, "ROLLBACK;");
        }
        let _ = self.session.wait();
    }
}
