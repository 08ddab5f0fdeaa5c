//! The `ilji` binary: parses the command line, runs the command, prints what happened, and
//! alone decides the exit status (0 done, 1 a problem in the site, 2 a usage error, 130 a
//! build stopped by Ctrl-C).

mod cli;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use ilji::build::{build, BuildOptions, BuildReport, PhaseLog, Progress, RunControl};
use ilji::check::{check, external, CheckOptions};
use ilji::import::{import, Dialect, ImportOptions};
use ilji::new::{existing_categories, new_post, NewPost};
use ilji::serve::{serve, watch::Message, ServeOptions};
use ilji::text::plural;

use cli::{Cli, Command};
use term::{Term, Verbosity};

// A build allocates many small strings on every thread (Tera's values); mimalloc makes that
// markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let root = cli.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let term = Term::new(cli.color, verbosity, &root);
    match cli.command {
        Command::Build(args) => run_build(&term, root, args),
        Command::Check(args) => run_check(&term, root, args),
        Command::Import(args) => run_import(&term, root, args),
        Command::Init(args) => {
            let dir = root.join(&args.folder);
            match ilji::init::init(&dir, args.force, chrono::Utc::now()) {
                Ok(report) => {
                    for kept in &report.kept {
                        term.info("kept", &format!("{} (it already exists)", kept.display()));
                    }
                    term.summary(
                        "created",
                        &format!(
                            "a site in {} ({} files). Next: cd {} && ilji serve",
                            dir.display(),
                            report.written.len(),
                            dir.display()
                        ),
                        false,
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&term, &err),
            }
        }
        Command::New(args) => match run_new(&root, args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(&term, &err),
        },
        Command::Serve(args) => {
            let opts = ServeOptions {
                root,
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
                temp_dir: std::env::temp_dir(),
                timings: timing_log(false),
            };
            let mut log = |line: &str| {
                if term.verbosity != Verbosity::Quiet || ilji::serve::is_problem(line) {
                    eprintln!("{line}");
                }
            };
            let result = serve(&opts, &mut log, |url, stop| {
                // The URL on stdout, alone, so scripts and tests can find the port.
                println!("{url}");
                let _ = ctrlc::set_handler(move || {
                    let _ = stop.send(Message::Stop);
                });
                if opts.open {
                    open_browser(url);
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&term, &err),
            }
        }
    }
}

fn fail(term: &Term, err: &ilji::error::Error) -> ExitCode {
    term.errors(err);
    exit_code(err)
}

/// 2 for a mistake on the command line, 1 for a problem in the site.
fn exit_code(err: &ilji::error::Error) -> ExitCode {
    ExitCode::from(if err.usage { 2 } else { 1 })
}

fn run_build(term: &Term, root: PathBuf, args: cli::BuildArgs) -> ExitCode {
    let progress = Arc::new(Progress::default());
    // Ctrl-C stops the build before its next page, so that it cleans up after itself; a
    // second one ends it at once (the next build clears away what that leaves).
    let interrupt = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupt);
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
    });
    let opts = BuildOptions {
        output: args.output.map(|o| resolve(&o)),
        drafts: args.drafts,
        future: args.future,
        base_url: args.base_url,
        ..BuildOptions::new(root)
    };
    let run = RunControl {
        interrupt: Some(Arc::clone(&interrupt)),
        progress: Some(Arc::clone(&progress)),
        timings: timing_log(term.verbosity == Verbosity::Verbose),
        one_shot: true,
        record_digests: false,
    };
    let guard = term.progress(&progress, progress_delay());
    let result = build(&opts, &run);
    drop(guard);
    match result {
        Ok(report) => {
            print_report(term, &report);
            ExitCode::SUCCESS
        }
        Err(_) if interrupt.load(Ordering::Relaxed) => {
            term.summary(
                "build interrupted;",
                &format!("{} was left as it was", opts.output_dir().display()),
                true,
            );
            // 128 + SIGINT, as shells report a program that Ctrl-C stopped.
            ExitCode::from(130)
        }
        Err(err) => {
            term.errors(&err);
            term.summary(
                "build failed;",
                &format!("{} was left as it was", opts.output_dir().display()),
                true,
            );
            exit_code(&err)
        }
    }
}

/// Prints `timing: <phase> <ms> ms` on stderr as each phase of a build ends: with
/// `--verbose` (`verbose`), or whenever `ILJI_TIMINGS` is set (for profiling, not tests).
fn timing_log(verbose: bool) -> Option<Arc<PhaseLog>> {
    let on = verbose || std::env::var_os("ILJI_TIMINGS").is_some();
    on.then(|| -> Arc<PhaseLog> {
        Arc::new(|phase: &str, took: Duration| {
            eprintln!("timing: {phase} {} ms", took.as_millis());
        })
    })
}

/// How long a build runs before it gets a progress bar (`ILJI_PROGRESS_AFTER_MS`, for tests).
fn progress_delay() -> Duration {
    let ms = std::env::var("ILJI_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(700);
    Duration::from_millis(ms)
}

fn run_check(term: &Term, root: PathBuf, args: cli::CheckArgs) -> ExitCode {
    let opts = CheckOptions {
        build: BuildOptions {
            drafts: args.drafts,
            future: args.future,
            ..BuildOptions::new(root)
        },
        external: args.external.then(|| external::Options {
            timeout: Duration::from_secs_f64(args.timeout.max(0.1)),
            concurrency: usize::from(args.jobs),
        }),
    };
    let report = match check(&opts) {
        Ok(report) => report,
        Err(err) => {
            term.errors(&err);
            term.summary("check failed:", "the site does not build", true);
            return ExitCode::from(1);
        }
    };
    for w in &report.warnings {
        term.warning(w);
    }
    for e in &report.errors {
        term.errors(&e.clone().into());
    }
    let mut what = format!(
        "{} pages and {}",
        report.pages,
        plural(report.internal_links, "internal link", "internal links")
    );
    if let Some(x) = &report.external {
        what.push_str(&format!(
            "; {} in {:.1} s: {} ok, {} broken, {} doubtful, {} timed out",
            plural(x.checked, "external link", "external links"),
            x.elapsed.as_secs_f64(),
            x.ok,
            x.broken,
            x.doubtful,
            x.timed_out
        ));
    }
    let failed = !report.errors.is_empty();
    term.summary(
        "checked",
        &format!(
            "{what}: {} in {} ms",
            counted(report.errors.len(), report.warnings.len()),
            report.elapsed.as_millis()
        ),
        failed,
    );
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_import(term: &Term, root: PathBuf, args: cli::ImportArgs) -> ExitCode {
    let opts = ImportOptions {
        root,
        source: resolve(&args.source),
        dialect: args.from.map(|e| match e {
            cli::Engine::Hugo => Dialect::Hugo,
            cli::Engine::Jekyll => Dialect::Jekyll,
            cli::Engine::Tistory => Dialect::Tistory,
        }),
        default_category: args.category,
        dry_run: args.dry_run,
    };
    let report = match import(&opts) {
        Ok(r) => r,
        Err(err) => return fail(term, &err),
    };
    for path in &report.written {
        let verb = if opts.dry_run { "would write" } else { "wrote" };
        term.detail(&format!("{verb} {}", path.display()));
    }
    for n in &report.notes {
        term.info("note", &n.to_string());
    }
    for s in &report.skipped {
        term.warning(s);
    }
    if !report.refused.is_empty() {
        term.errors(&ilji::error::Error::many(report.refused.clone()));
    }
    let dialect = report.dialect.map_or("", |d| d.name());
    let files = report.written.len() - report.posts - report.pages - report.comment_files;
    let comments = if report.comments > 0 {
        format!(", {}", plural(report.comments, "comment", "comments"))
    } else {
        String::new()
    };
    let mut line = format!(
        "{} and {} from {dialect} ({}, {} copied{comments})",
        plural(report.posts, "post", "posts"),
        plural(report.pages, "page", "pages"),
        plural(
            report.aliases,
            "old address kept as an alias",
            "old addresses kept as aliases",
        ),
        plural(files, "file", "files"),
    );
    let changed = [
        (report.readdressed, "address changed", "addresses changed"),
        (
            report.aliases_dropped,
            "old address not kept",
            "old addresses not kept",
        ),
        (report.not_copied, "file not copied", "files not copied"),
    ];
    let changed: Vec<String> = changed
        .iter()
        .filter(|c| c.0 > 0)
        .map(|c| plural(c.0, c.1, c.2))
        .collect();
    if !changed.is_empty() {
        line.push_str(&format!("; {} (see the notes)", changed.join(", ")));
    }
    if !report.skipped.is_empty() {
        line.push_str(&format!(
            "; {} not converted (see the warnings)",
            plural(report.skipped.len(), "file", "files")
        ));
    }
    if !report.refused.is_empty() {
        line.push_str(&format!(
            "; {} refused (see the errors)",
            plural(report.refused.len(), "value", "values")
        ));
    }
    if opts.dry_run {
        line.push_str("; nothing was written (--dry-run)");
    } else {
        line.push_str(". Next: ilji check");
    }
    term.summary(
        if opts.dry_run {
            "would import"
        } else {
            "imported"
        },
        &line,
        !report.refused.is_empty(),
    );
    if report.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// "2 errors, 1 warning", "no problems".
fn counted(errors: usize, warnings: usize) -> String {
    let errors_text = plural(errors, "error", "errors");
    let warnings_text = plural(warnings, "warning", "warnings");
    match (errors, warnings) {
        (0, 0) => "no problems".to_owned(),
        (_, 0) => errors_text,
        (0, _) => warnings_text,
        _ => format!("{errors_text}, {warnings_text}"),
    }
}

/// `ilji new`: asks for a category only when none was given and a person is at the terminal.
fn run_new(root: &std::path::Path, args: cli::NewArgs) -> Result<(), ilji::error::Error> {
    let category = match args.category {
        Some(c) => c,
        None => choose_category(root)?,
    };
    let post = NewPost {
        title: args.title,
        category,
        slug: args.slug,
        draft: !args.publish,
        now: chrono::Utc::now(),
        bundle: args.bundle,
    };
    let path = new_post(root, &post)?;
    match path.parent().filter(|_| args.bundle) {
        Some(folder) => {
            println!("{}/", folder.display());
            eprintln!(
                "write the post in its index.md; put its photos in this folder beside it and \
                 show one with ![설명](photo.jpg)"
            );
        }
        None => println!("{}", path.display()),
    }
    Ok(())
}

/// The category a writer picks from the site's own (by number or name), or `미분류` when
/// nobody can be asked.
fn choose_category(root: &std::path::Path) -> Result<String, ilji::error::Error> {
    use std::io::{BufRead, IsTerminal};
    const FALLBACK: &str = "미분류";
    let categories = existing_categories(root)?;
    if !std::io::stdin().is_terminal() || categories.is_empty() {
        eprintln!("category: {FALLBACK} (change it in the file, or pass --category next time)");
        return Ok(FALLBACK.to_owned());
    }
    eprintln!("카테고리를 고르세요 (번호 또는 새 이름):");
    for (i, c) in categories.iter().enumerate() {
        eprintln!("  {}. {c}", i + 1);
    }
    eprint!("> ");
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    let answer = answer.trim();
    Ok(match answer.parse::<usize>() {
        Ok(n) if (1..=categories.len()).contains(&n) => categories[n - 1].clone(),
        _ if answer.is_empty() => categories[0].clone(),
        _ => answer.to_owned(),
    })
}

/// Best effort: a preview that cannot open a browser still serves.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

/// `--output` is relative to where the command was typed, not to `-C DIR`.
fn resolve(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Warnings together, then the summary line.
fn print_report(term: &Term, r: &BuildReport) {
    for w in &r.warnings {
        term.warning(w);
    }
    for s in &r.scheduled {
        term.info(
            "scheduled",
            &format!(
                "{} (\"{}\") goes live {}; left out until then (use --future to include it)",
                s.source.display(),
                s.title,
                s.goes_live.format("%Y-%m-%d %H:%M %Z")
            ),
        );
    }
    if !r.drafts_left_out.is_empty() {
        term.info(
            "drafts",
            &format!(
                "{} left out (use --drafts to include them)",
                r.drafts_left_out.len()
            ),
        );
        for d in &r.drafts_left_out {
            term.detail(&format!("  draft: {}", d.display()));
        }
    }
    let warnings = if r.warnings.is_empty() {
        String::new()
    } else {
        format!(", {}", counted(0, r.warnings.len()))
    };
    term.summary(
        "built",
        &format!(
            "{} ({}, {}, {}) and copied {} into {} in {} ms{warnings}",
            plural(r.pages_written, "page", "pages"),
            plural(r.posts, "post", "posts"),
            plural(r.categories, "category", "categories"),
            plural(r.tags, "tag", "tags"),
            plural(r.files_copied, "file", "files"),
            r.output.display(),
            r.elapsed.as_millis()
        ),
        false,
    );
}
