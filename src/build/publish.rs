//! Rendering every page of a site and copying its files into a staging folder, then
//! swapping it in as the output: the step of a build that writes, always through
//! [`Staging`].

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::claims::claim_all;
use super::run::{PhaseTimer, RunControl};
use super::BuildOptions;
use crate::error::Result;
use crate::output::Staging;
use crate::render::{self, Job, Renderer, Templates};
use crate::site::Site;
use crate::site_path::SitePath;

/// What [`publish`] wrote.
pub(crate) struct Published {
    pub pages: usize,
    pub copies: usize,
    /// The copied files: (source, output path).
    pub copied: Vec<(PathBuf, SitePath)>,
    pub digests: HashMap<String, u64>,
}

/// A page's root-relative URL path (e.g. `/posts/가/`) and the digest of its bytes, when
/// digests are recorded.
type Written = Option<(String, u64)>;

/// Renders every page of `site` and copies its files into a staging folder, then swaps it
/// in as the output.
///
/// With [`RunControl::one_shot`], each post's body is released once its page is
/// written, unless a feed prints it: a big blog then never holds all its bodies while it
/// renders.
///
/// `templates` are those of the site's theme (see [`Templates::load`]); `staging` is for
/// `opts`'s output.
pub(crate) fn publish(
    opts: &BuildOptions,
    run: &RunControl,
    site: &Site,
    templates: Templates,
    staging: Staging,
    timer: &PhaseTimer,
) -> Result<Published> {
    let root = &opts.root;
    let one_shot = run.one_shot;
    let jobs = render::jobs(site, templates.has_search_page());
    // Two serial steps, side by side; what a reused staging folder holds that no page
    // claims goes with the claims.
    let (renderer, copies) = rayon::join(
        || Renderer::with_templates(templates, site),
        || -> Result<_> {
            let (copies, claims) = claim_all(root, site, &jobs)?;
            staging.sweep(|file| claims.contains_key(file))?;
            Ok(copies)
        },
    );
    let (renderer, copies) = (renderer?, copies?);
    timer.mark("views and claims");

    run.pages_to_render(jobs.len());
    // Writes a page (given in consecutive parts); its digest when they are recorded.
    let emit = |job: Job, html: &[&[u8]]| -> Result<Written> {
        let path = render::job_path(site, job);
        let file =
            render::job_file(site, job).map_err(|r| super::claims::refused_job(site, job, r))?;
        staging.write(&file, html)?;
        run.page_written();
        Ok(run
            .record_digests
            .then(|| (format!("/{path}"), digest(html))))
    };
    let keep = if one_shot {
        render::feeds::fed(site)
    } else {
        vec![true; site.posts.len()]
    };

    // The posts' pages first, releasing their bodies; then the search index beside the other
    // pages, so that the index (tens of megabytes for a big blog) takes the memory the bodies
    // left, and its few serial steps overlap with the pages.
    let (posts, others): (Vec<Job>, Vec<Job>) = jobs
        .iter()
        .filter(|j| !matches!(j, Job::SearchIndex))
        .partition(|j| matches!(j, Job::Post(_)));
    let render = |jobs: &[Job]| -> Result<Vec<Written>> {
        // In runs of at most 16 pages: rayon otherwise hands each core a quarter of the list
        // in one piece that no idle core can take a part of, and one core rendered the last
        // list pages alone for 60-80 ms while the other waited.
        jobs.par_iter()
            .with_max_len(16)
            .map_init(
                || renderer.context(),
                |ctx, &job| {
                    run.check_interrupt(|| opts.output_dir())?;
                    let digest = emit(job, &[&renderer.render_in(ctx, job)?])?;
                    if let Job::Post(i) = job {
                        if !keep[i] {
                            site.posts[i].body.html.release();
                        }
                    }
                    Ok(digest)
                },
            )
            .collect()
    };
    let mut digests: HashMap<String, u64> = render(&posts)?.into_iter().flatten().collect();
    timer.mark("posts");
    let (index, others) = rayon::join(
        || -> Result<Written> {
            if !jobs.contains(&Job::SearchIndex) {
                return Ok(None);
            }
            let index = renderer.search_index();
            let parts: Vec<&[u8]> = index.iter().map(Vec::as_slice).collect();
            emit(Job::SearchIndex, &parts)
        },
        || render(&others),
    );
    digests.extend(index?);
    digests.extend(others?.into_iter().flatten());
    timer.mark("other pages and index");
    copies
        .par_iter()
        .try_for_each(|(from, to)| staging.copy(from, to))?;
    staging.commit()?;
    timer.mark("commit");
    if one_shot {
        // Its cached views are many small values; the process ends soon.
        std::mem::forget(renderer);
    }
    Ok(Published {
        pages: jobs.len(),
        copies: copies.len(),
        copied: copies,
        digests,
    })
}

/// A digest of a page's bytes (given in consecutive parts), to tell which pages a rebuild
/// changed. It depends on the bytes only, not on how they are split.
pub(crate) fn digest(parts: &[&[u8]]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        h.write(part);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn a_digest_depends_on_the_bytes_not_on_their_parts() {
        let whole = digest(&["{\"w\":[\"고객\"],\"p\":[]}".as_bytes()]);
        let parts = digest(&[b"{\"w\":[", "\"고객\"".as_bytes(), b"],\"p\":[", b"]}"]);
        assert_eq!(whole, parts);
        assert_ne!(whole, digest(&[b"{}"]));
    }
}
