//! The command line, as clap parses it. No logic lives here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::term::ColorChoice;

/// ilji (일지): publish a Korean business blog from Markdown.
#[derive(Debug, Parser)]
#[command(name = "ilji", version, about)]
pub struct Cli {
    /// Run on the site in DIR instead of the current folder.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// Print only errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print each phase's time and every draft left out.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish the site into public/ (or --output DIR).
    Build(BuildArgs),
    /// Preview the site at http://127.0.0.1:4000/, rebuilding and reloading on every save.
    Serve(ServeArgs),
    /// Write a new post with its front matter filled in (a draft unless --publish).
    New(NewArgs),
    /// Create a new site in DIR that builds at once.
    Init(InitArgs),
    /// Find broken links, missing images and anchors, and other problems, writing nothing.
    Check(CheckArgs),
    /// Bring in the posts of a Hugo, Jekyll or Tistory blog, keeping their old addresses as aliases.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The Hugo site (or its content/ folder), the Jekyll site (or its _posts/ folder), or
    /// a Tistory blog's RSS file, saved post pages or backup folder.
    #[arg(value_name = "FOLDER")]
    pub source: PathBuf,
    /// The engine it comes from; by default a folder with _posts/ or _config.yml is Jekyll,
    /// a Tistory RSS file or backup folder (numbered folders) Tistory, anything else Hugo.
    /// Saved Tistory pages need --from tistory.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub from: Option<Engine>,
    /// The category of posts that have none.
    #[arg(long, value_name = "NAME", default_value = "미분류")]
    pub category: String,
    /// Show what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    Hugo,
    Jekyll,
    Tistory,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Check the site as `build --drafts` publishes it (drafts' own problems become errors).
    #[arg(long)]
    pub drafts: bool,
    /// Check the site as `build --future` publishes it.
    #[arg(long)]
    pub future: bool,
    /// Also request every link to another site (needs the network).
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds to wait for each site.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
    /// With --external: how many sites to request at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder for the new site (created if missing).
    #[arg(value_name = "DIR")]
    pub folder: std::path::PathBuf,
    /// Add the missing files to a folder that is not empty (existing files are kept).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The post's title, e.g. "고객 불만이 기회가 된 순간들".
    pub title: String,
    /// Its category; without it you choose from the site's categories (in a terminal).
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// Its address (/posts/SLUG/); by default made from the title, Hangul kept.
    #[arg(long)]
    pub slug: Option<String>,
    /// Write `draft: true` (the default).
    #[arg(long, conflicts_with = "publish")]
    pub draft: bool,
    /// Write `draft: false`: the post is published by the next build.
    #[arg(long)]
    pub publish: bool,
    /// Write a folder, content/posts/<date>-<slug>/index.md, to put the post's photos in.
    #[arg(long)]
    pub bundle: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 exposes the preview to other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also show posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the preview in the web browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Also publish posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also publish posts dated in the future (scheduled posts).
    #[arg(long)]
    pub future: bool,
    /// Write the site here instead of public/.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this address instead of site.yaml's base_url (for feeds and canonical links).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}
