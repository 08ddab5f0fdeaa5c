//! One run of the real `ilji` binary and what is expected of it ([`Run`]): the exit status,
//! lines it must or must not print, and its whole stderr as a golden file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{assert_golden, repo_root};

/// One run of the binary and what is expected of it.
#[must_use = "call .run() to run the binary"]
pub struct Run {
    cwd: PathBuf,
    args: Vec<String>,
    status: i32,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    stderr_lacks: Vec<String>,
    stderr_golden: Option<String>,
    redactions: Vec<(String, String)>,
    env: Vec<(String, Option<String>)>,
}

/// What a run printed.
pub struct Output {
    /// `ilji <args>`, redacted, as a transcript shows it.
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    /// `stderr` with the run's folders written as `[ROOT]`, `[REPO]` and the like.
    pub stderr_redacted: String,
}

impl Run {
    /// `ilji` in `cwd`; in golden text `cwd` is written `[ROOT]` and the repository `[REPO]`.
    pub fn new(cwd: &Path) -> Run {
        Run {
            cwd: cwd.to_path_buf(),
            args: Vec::new(),
            status: 0,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            stderr_lacks: Vec::new(),
            stderr_golden: None,
            redactions: Vec::new(),
            env: vec![("NO_COLOR".to_owned(), Some("1".to_owned()))],
        }
        .redact(cwd, "[ROOT]")
        .redact(repo_root(), "[REPO]")
    }

    /// Sets (`Some`) or removes (`None`) an environment variable for the run (by default
    /// `NO_COLOR=1` is set).
    pub fn env(mut self, key: &str, value: Option<&str>) -> Run {
        self.env.push((key.to_owned(), value.map(str::to_owned)));
        self
    }

    pub fn arg(mut self, arg: impl AsRef<str>) -> Run {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<'a>(mut self, args: impl IntoIterator<Item = &'a str>) -> Run {
        self.args.extend(args.into_iter().map(str::to_owned));
        self
    }

    /// The exit status expected (0 unless told).
    pub fn status(mut self, code: i32) -> Run {
        self.status = code;
        self
    }

    /// A site error: exit status 1.
    pub fn failure(self) -> Run {
        self.status(1)
    }

    pub fn stdout_has(mut self, text: impl Into<String>) -> Run {
        self.stdout_has.push(text.into());
        self
    }

    pub fn stderr_has(mut self, text: impl Into<String>) -> Run {
        self.stderr_has.push(text.into());
        self
    }

    pub fn stderr_lacks(mut self, text: impl Into<String>) -> Run {
        self.stderr_lacks.push(text.into());
        self
    }

    /// The whole stderr, redacted, must be the golden file `tests/fixtures/<name>`.
    pub fn stderr_golden(mut self, name: &str) -> Run {
        self.stderr_golden = Some(name.to_owned());
        self
    }

    /// Writes `text` (a folder of this run, a server's address) as `as_` in the redacted
    /// stderr; the longest text is replaced first, so a folder inside another keeps its name.
    pub fn redact(mut self, text: impl AsRef<Path>, as_: &str) -> Run {
        let text = text.as_ref().to_string_lossy().into_owned();
        if !text.is_empty() {
            self.redactions.push((text, as_.to_owned()));
            self.redactions
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        }
        self
    }

    /// `text` with every redaction applied.
    fn redacted(&self, text: &str) -> String {
        self.redactions
            .iter()
            .fold(text.to_owned(), |text, (from, to)| text.replace(from, to))
    }

    /// Runs the binary and checks every expectation, showing all it printed on a mismatch.
    #[track_caller]
    pub fn run(self) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ilji"));
        command
            .args(&self.args)
            .current_dir(&self.cwd)
            .env_remove("ILJI_TIMINGS");
        for (key, value) in &self.env {
            match value {
                Some(v) => command.env(key, v),
                None => command.env_remove(key),
            };
        }
        let out = command.output().expect("run the ilji binary");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let output = Output {
            command: self.redacted(&format!("ilji {}", self.args.join(" "))),
            stderr_redacted: self.redacted(&stderr),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        };
        let shown = || {
            format!(
                "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                output.command, output.stdout, output.stderr
            )
        };
        assert_eq!(
            out.status.code(),
            Some(self.status),
            "unexpected exit status\n{}",
            shown()
        );
        let quiet = self.args.iter().any(|a| a == "--quiet" || a == "-q");
        if self.status == 0 && !quiet {
            assert!(
                !output.stdout.trim().is_empty(),
                "a successful build prints a summary line\n{}",
                shown()
            );
            assert!(
                !output.stderr.contains("error:"),
                "a successful run printed an error\n{}",
                shown()
            );
        }
        for text in &self.stdout_has {
            assert!(
                output.stdout.contains(text.as_str()),
                "stdout lacks {text:?}\n{}",
                shown()
            );
        }
        for text in &self.stderr_has {
            assert!(
                output.stderr.contains(text.as_str()),
                "stderr lacks {text:?}\n{}",
                shown()
            );
        }
        for text in &self.stderr_lacks {
            assert!(
                !output.stderr.contains(text.as_str()),
                "stderr has {text:?}\n{}",
                shown()
            );
        }
        if let Some(name) = &self.stderr_golden {
            assert_golden(name, &output.stderr_redacted);
        }
        output
    }
}

/// Runs `ilji <args>` in `dir` and waits at most `limit` (running longer is a failure: a
/// hang); the exit status (`None`: killed by a signal) and stderr. For runs whose every
/// outcome the test judges itself (generated sites, a server that must not start).
pub fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ilji"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ilji");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for ilji") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ilji {} ran for more than {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.code(), reader.join().expect("stderr"))
}
