//! ilji (일지): a static-site generator for Korean small-business blogs.
//!
//! The pipeline, one way: `config` (site.yaml) → `content` (Markdown files → pages) →
//! `site` (the immutable model: order, categories, tags, listings) → `render` (Tera) →
//! `output` (the only writer of `public/`, swapped in atomically). `build` strings them
//! together; `serve` wraps `build` with an HTTP server, a watcher and live reload.
//!
//! The library prints nothing and reads no environment variable: what a run shows the writer
//! comes back in reports, or goes to what the binary hands in (`build::RunControl`, serve's
//! log), and `main.rs` alone prints it.

// Only the binary prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod fsutil;
pub mod html;
pub mod import;
pub mod init;
pub mod inputs;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod session;
pub mod site;
pub mod site_path;
pub mod slug;
pub mod text;
pub mod words;
pub mod yaml;
mod yaml_nesting;
