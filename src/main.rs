//! The `ilji` binary: parses the command line, runs the command, prints what happened, and
//! alone decides the exit status (0 done, 1 a problem in the site, 2 a usage error).

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use ilji::build::{build, BuildOptions, BuildReport};
use ilji::new::{existing_categories, new_post, NewPost};
use ilji::serve::{serve, watch::Message, ServeOptions};

use cli::{Cli, Command};

// A build allocates many small strings on every thread (Tera's values); mimalloc makes that
// markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                output: args.output.map(|o| resolve(&o)),
                drafts: args.drafts,
                future: args.future,
                base_url: args.base_url,
                ..BuildOptions::new(root)
            };
            match build(&opts) {
                Ok(report) => {
                    print_report(&report);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    let mut stderr = std::io::stderr().lock();
                    let _ = writeln!(stderr, "{err}");
                    let _ = writeln!(
                        stderr,
                        "build failed; {} was left as it was",
                        opts.output_dir().display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Init(args) => {
            let dir = root.join(&args.folder);
            match ilji::init::init(&dir, args.force, chrono::Utc::now()) {
                Ok(report) => {
                    for kept in &report.kept {
                        eprintln!("kept {} (it already exists)", kept.display());
                    }
                    println!(
                        "created a site in {} ({} files). Next: cd {} && ilji serve",
                        dir.display(),
                        report.written.len(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("{err}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New(args) => match run_new(&root, args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("{err}");
                ExitCode::from(1)
            }
        },
        Command::Serve(args) => {
            let opts = ServeOptions {
                root,
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
            };
            let mut log = |line: &str| eprintln!("{line}");
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
                Err(err) => {
                    eprintln!("{err}");
                    ExitCode::from(1)
                }
            }
        }
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
    };
    let path = new_post(root, &post)?;
    println!("{}", path.display());
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

fn print_report(r: &BuildReport) {
    let mut err = std::io::stderr().lock();
    for w in &r.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    for s in &r.scheduled {
        let _ = writeln!(
            err,
            "scheduled: {} (\"{}\") goes live {}; left out until then (use --future to include it)",
            s.source.display(),
            s.title,
            s.goes_live.format("%Y-%m-%d %H:%M %Z")
        );
    }
    if r.drafts_left_out > 0 {
        let _ = writeln!(
            err,
            "drafts: {} left out (use --drafts to include them)",
            r.drafts_left_out
        );
    }
    let _ = writeln!(
        std::io::stdout(),
        "built {} pages ({} posts, {} categories, {} tags) and copied {} files into {} in {} ms",
        r.pages_written,
        r.posts,
        r.categories,
        r.tags,
        r.files_copied,
        r.output.display(),
        r.elapsed.as_millis()
    );
}
